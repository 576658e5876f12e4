import type { AdminScreen } from '../screen.ts';
import { accountScreen } from './account.ts';
import { adsScreen } from './ads.ts';
import { apiKeysScreen } from './api-keys.ts';
import { articlesScreen } from './articles.ts';
import { bylinesScreen } from './bylines.ts';
import { cdnScreen } from './cdn.ts';
import { dashboardScreen } from './dashboard.ts';
import { frontScreen } from './front.ts';
import { importApiScreen } from './import-api.ts';
import { notificationsScreen } from './notifications.ts';
import { partnersScreen } from './partners.ts';
import { photosScreen } from './photos.ts';
import { policiesScreen } from './policies.ts';
import { readersScreen } from './readers.ts';
import { sectionsScreen } from './sections.ts';
import { seriesScreen } from './series.ts';
import { signInScreen } from './sign-in.ts';
import { staffScreen } from './staff.ts';
import { tipsScreen } from './tips.ts';
import { weatherScreen } from './weather.ts';
import { webhooksScreen } from './webhooks.ts';

/** The newsroom's screens. A new screen is its module, its view, and one line here. */
export const SCREENS: readonly AdminScreen[] = [
  signInScreen,
  dashboardScreen,
  articlesScreen,
  photosScreen,
  tipsScreen,
  frontScreen,
  sectionsScreen,
  bylinesScreen,
  seriesScreen,
  readersScreen,
  partnersScreen,
  adsScreen,
  staffScreen,
  weatherScreen,
  policiesScreen,
  accountScreen,
  notificationsScreen,
  importApiScreen,
  apiKeysScreen,
  webhooksScreen,
  cdnScreen,
];
