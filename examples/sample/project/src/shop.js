export const shop = "open";
