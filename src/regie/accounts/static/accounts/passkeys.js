// Once django-otp-webauthn has registered a passkey, go to the page named by
// data-registered-url on the registration section (the security page, or the recovery codes).
document.addEventListener("otp_webauthn.register_complete", function () {
  var section = document.querySelector("[data-registered-url]");
  if (section) {
    window.setTimeout(function () { window.location.assign(section.dataset.registeredUrl); }, 600);
  }
});
