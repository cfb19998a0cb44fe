// The focal point of a library image: click the picture to set the two fractions.
// Without JavaScript the two number fields ("across", "down") are edited by hand.
(function () {
  "use strict";

  function clamp(value) {
    return Math.min(1, Math.max(0, value));
  }

  function setUp(picker) {
    var image = picker.querySelector("img");
    var marker = picker.querySelector(".focal-marker");
    var inputX = document.getElementById("id_focal_x");
    var inputY = document.getElementById("id_focal_y");
    if (!image || !marker || !inputX || !inputY) {
      return;
    }
    picker.classList.add("focal-picker-active");

    function show() {
      var x = clamp(parseFloat(inputX.value));
      var y = clamp(parseFloat(inputY.value));
      if (isNaN(x) || isNaN(y)) {
        marker.hidden = true;
        return;
      }
      // Set through the CSS object model: allowed by a CSP without 'unsafe-inline'.
      marker.style.left = x * 100 + "%";
      marker.style.top = y * 100 + "%";
      marker.hidden = false;
    }

    image.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      inputX.value = clamp((event.clientX - box.left) / box.width).toFixed(3);
      inputY.value = clamp((event.clientY - box.top) / box.height).toFixed(3);
      show();
    });
    inputX.addEventListener("input", show);
    inputY.addEventListener("input", show);
    show();
  }

  function start() {
    document.querySelectorAll("[data-focal-picker]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
