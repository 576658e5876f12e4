export { createMailer, type Mailer, type MailMessage } from './mailer.ts';
export {
  createNotifications,
  type DeskHandover,
  type NotificationKind,
  type Notifications,
  type StaffNotification,
} from './service.ts';
