import { runBannerSlots } from './ads.ts';
import { countArticleView } from './reader.ts';
import { runStickyClose } from './sticky.ts';
import { runTicker } from './ticker.ts';
import { runArticleTools } from './tools.ts';

// The public site reads fully without this script; it counts readers, rotates banners,
// turns the weather ticker, and runs the share and reading buttons. Loaded with `defer`,
// so the document is parsed when it runs.
countArticleView(document, navigator);
runBannerSlots(document, navigator);
runTicker(document, window);
runArticleTools(document, window);
runStickyClose(document);
