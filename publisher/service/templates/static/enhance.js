// Progressive enhancement only: every form works without this script.
// Adds drag and drop onto the upload area, shows the chosen file's name, and asks before
// deleting a draft.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var drop = document.querySelector("[data-drop]");
    if (drop) {
      var input = drop.querySelector("input[type=file]");
      var nameOut = drop.querySelector("[data-file-name]");
      // The whole area opens the file picker, so the native control can step back and
      // the chosen name is shown once, larger.
      drop.classList.add("enhanced");
      var show = function () {
        nameOut.textContent = input.files && input.files.length ? input.files[0].name : "";
        drop.classList.toggle("has-file", !!(input.files && input.files.length));
      };
      input.addEventListener("change", show);
      ["dragenter", "dragover"].forEach(function (type) {
        drop.addEventListener(type, function (event) {
          event.preventDefault();
          drop.classList.add("over");
        });
      });
      ["dragleave", "drop"].forEach(function (type) {
        drop.addEventListener(type, function () { drop.classList.remove("over"); });
      });
      drop.addEventListener("drop", function (event) {
        event.preventDefault();
        if (event.dataTransfer && event.dataTransfer.files.length) {
          input.files = event.dataTransfer.files;
          show();
        }
      });
    }
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
})();
