// On forms whose times are in the zone of the thing they belong to (an event's venue; see
// core.admin.timezones), the page says so beside each field. Django's calendar widget would
// add "You are N hours behind server time", comparing the browser's zone with that one and
// calling it the server's: a second, contradicting notice. Its "Now" and "Today" still use
// the event's zone.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  if (window.DateTimeShortcuts) {
    window.DateTimeShortcuts.addTimezoneWarning = () => {};
  }
});
