// The one-time link's secret is its fragment, which no request carries: the form sends it.
const secret = location.hash.slice(1);
if (/^[A-Za-z0-9_-]{20,100}$/.test(secret)) {
  document.getElementById("invitation").value = secret;
} else {
  document.getElementById("incomplete").hidden = false;
  document.getElementById("password-form").hidden = true;
}
