import { runBannerSlots } from './ads.ts';
import { countArticleView } from './reader.ts';

// The public site reads fully without this script; it only counts readers and rotates
// banners. Loaded with `defer`, so the document is parsed when it runs.
countArticleView(document, navigator);
runBannerSlots(document, navigator);
