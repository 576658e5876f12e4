import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** False when no SMTP server is configured: staff then see notices in the admin only. */
  readonly configured: boolean;
  /** Resolves when the SMTP server accepted the message; rejects with its reason. */
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * Staff e-mail through the paper's SMTP server (TAMNA_SMTP_URL). Mail is a courtesy next to
 * the admin's own list: callers send in the background and log a failure rather than fail
 * the desk's action.
 */
export function createMailer(options: { smtpUrl: string | null; from: string }): Mailer {
  if (options.smtpUrl === null) {
    return {
      configured: false,
      async send() {
        // Nothing to send through; the admin's list still has every notice.
      },
      close() {},
    };
  }
  // A slow mail server must not keep a notice pending for minutes.
  const url = new URL(options.smtpUrl);
  for (const [name, ms] of [
    ['connectionTimeout', '10000'],
    ['greetingTimeout', '10000'],
    ['socketTimeout', '20000'],
  ] as const) {
    if (!url.searchParams.has(name)) url.searchParams.set(name, ms);
  }
  const transport = nodemailer.createTransport(url.toString());
  return {
    configured: true,
    async send(message) {
      await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
    },
    close() {
      transport.close();
    },
  };
}
