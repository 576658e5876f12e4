/**
 * The one inline script of the public site, run in <head> before the first paint: it
 * marks the page as having script (`html.js` shows the buttons that need it) and applies
 * the reader's remembered font size and the bottom banner closed for today, so neither
 * makes the page jump after it appears. The CSP allows exactly this text by its hash
 * (http/site/headers.ts). The keys and the KST day match client/site/prefs.ts.
 */
export const HEAD_SCRIPT =
  "(function(h){h.classList.add('js');try{var s=localStorage,f=s.getItem('tamna:font-size');" +
  "if(f&&/^[1-5]$/.test(f))h.setAttribute('data-font-size',f);" +
  "if(s.getItem('tamna:sticky-closed')===new Date(Date.now()+324e5).toISOString().slice(0,10))" +
  "h.classList.add('sticky-closed')}catch(e){}})(document.documentElement)";
