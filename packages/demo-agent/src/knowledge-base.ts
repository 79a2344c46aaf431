/** One help-center article of the bundled Acme knowledge base. */
export interface KnowledgeBaseArticle {
  /** Stable id such as "kb-refund-1". */
  id: string;
  title: string;
  text: string;
}

/** The Acme help center: a few short articles on refunds, shipping, accounts and orders. */
export const knowledgeBase: readonly KnowledgeBaseArticle[] = [
  {
    id: "kb-refund-1",
    title: "Refund policy",
    text: "You can request a refund within 30 days of delivery. Refunds go back to the original payment method within 5 to 7 business days.",
  },
  {
    id: "kb-refund-2",
    title: "Refunds for damaged items",
    text: "If an item arrives damaged, send us a photo within 14 days and we refund it in full, including shipping, without needing a return.",
  },
  {
    id: "kb-refund-3",
    title: "Returns and exchanges",
    text: "Start a return from the Orders page. Print the prepaid label, pack the item in its original box and drop it at any carrier location.",
  },
  {
    id: "kb-shipping-1",
    title: "Shipping times",
    text: "Standard shipping takes 3 to 5 business days, express shipping 1 to 2 business days. Orders placed before 2 pm ship the same day.",
  },
  {
    id: "kb-shipping-2",
    title: "International shipping",
    text: "We ship to 40 countries. Customs duties are shown at checkout and international delivery takes 7 to 14 business days.",
  },
  {
    id: "kb-shipping-3",
    title: "Tracking a shipment",
    text: "Once an order ships you get an email with the carrier and tracking number. Tracking updates can take 24 hours to appear.",
  },
  {
    id: "kb-account-1",
    title: "Reset your password",
    text: "To reset your password, click Forgot password on the sign-in page and follow the link we email you. The link expires after one hour.",
  },
  {
    id: "kb-account-2",
    title: "Two-factor authentication",
    text: "Turn on two-factor authentication in Account settings under Security. Keep your backup codes somewhere safe in case you lose your phone.",
  },
  {
    id: "kb-account-3",
    title: "Update your email address",
    text: "Change the email address on your account in Account settings. We send a confirmation link to the new address before switching.",
  },
  {
    id: "kb-order-1",
    title: "Order status",
    text: "Check the status of your order on the Orders page or ask support with your order number, such as AB-1234.",
  },
  {
    id: "kb-order-2",
    title: "Cancel or change an order",
    text: "You can cancel or change an order until it ships. After that, wait for delivery and start a return instead.",
  },
];
