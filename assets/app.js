/* Clientside callbacks (referenced with dash.ClientsideFunction; no inline scripts, so the
   Content-Security-Policy needs no 'unsafe-inline' for scripts). */
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.hk = {
  toggle: function (nClicks, isOpen) {
    return nClicks ? !isOpen : isOpen;
  },
};
