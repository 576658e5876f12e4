# Varnish in front of Tamna: pages cached per device class and purged by the app.
# (Varnish 6 or 7; docs/decisions/0022-cdn-purging.md.)
#
# App settings:
#   TAMNA_CDN_PROVIDER=http
#   TAMNA_CDN_HTTP_ENDPOINTS=http://10.0.0.5:6081     (each Varnish, comma-separated)
#   TAMNA_CDN_HTTP_MODE=ban                            (the default)
#   TAMNA_TRUST_PROXY=10.0.0.5                         (this Varnish's address)
# The app then sends, after every change:  BAN /  with  X-Purge-Tags: article:12 front …
# and, for a page purged by hand:          PURGE /news/12  (Host: the site's host)
vcl 4.1;

backend tamna {
    .host = "127.0.0.1";
    .port = "3000";
}

# Who may purge: the app servers.
acl tamna_purgers {
    "127.0.0.1";
    "10.0.0.0"/8;
}

sub vcl_recv {
    # The device key: set here for every request (a reader's own header is overwritten),
    # sent to the app, which renders that class and answers Vary: X-Tamna-Device. The
    # pattern is the app's own (src/http/cache/edge.ts); tablets get the desktop page.
    if (req.http.User-Agent ~ "(?i)Mobi|Android|iPhone|iPod|Opera Mini|IEMobile") {
        set req.http.X-Tamna-Device = "mobile";
    } else {
        set req.http.X-Tamna-Device = "desktop";
    }

    if (req.method == "BAN") {
        if (client.ip !~ tamna_purgers) {
            return (synth(405, "Not allowed"));
        }
        if (!req.http.X-Purge-Tags) {
            return (synth(400, "X-Purge-Tags missing"));
        }
        # Every object whose Surrogate-Key holds one of the tags as a whole word. Bans on
        # obj.* only, so the ban lurker clears them in the background.
        ban("obj.http.Surrogate-Key ~ (^|\s)(" + regsuball(req.http.X-Purge-Tags, " +", "|") + ")(\s|$)");
        return (synth(200, "Banned"));
    }
    if (req.method == "PURGE") {
        if (client.ip !~ tamna_purgers) {
            return (synth(405, "Not allowed"));
        }
        # Every variant (device, encoding) of the address.
        return (purge);
    }

    # The newsroom, the reader beacons and forms are never cached.
    if (req.url ~ "^/(admin|beacon|ad/|jebo|preview/|api/|partner/)" || req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Public pages set no cookies; a reader's cookies (analytics of other tools) must not
    # make every page a miss.
    unset req.http.Cookie;
}

sub vcl_backend_response {
    # s-maxage and stale-while-revalidate come from the app (Varnish turns the latter into
    # grace). A banned or purged object is gone: grace never serves it.
    if (bereq.url ~ "^/(admin|preview/)") {
        set beresp.uncacheable = true;
        return (deliver);
    }
}

sub vcl_deliver {
    # The tags are for this cache only.
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
    # Beyond this cache nobody sets X-Tamna-Device: say what the page really varies on.
    if (resp.http.Vary) {
        set resp.http.Vary = regsub(resp.http.Vary, "X-Tamna-Device", "User-Agent");
    }
}
