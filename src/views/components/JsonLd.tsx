import { raw } from '../jsx/jsx-runtime.ts';
import { jsonLdText } from '../structured-data.ts';

/** schema.org data for search engines; safe whatever the text in it (see jsonLdText). */
export function JsonLd({ data }: { data: unknown }) {
  return <script type="application/ld+json">{raw(jsonLdText(data))}</script>;
}
