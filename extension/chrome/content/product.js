// The product's name, as the student sees it wherever the coach speaks in a mail
// client's page, so that nothing it shows is mistaken for the client's own.
export const PRODUCT = "Pre-Match Email Coach";
