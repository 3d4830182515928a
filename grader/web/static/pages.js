// Live preview: as a student types, ask the server how the answer is read and show it under the box.
// An enhancement only: the form submits without this script. No inline script anywhere (CSP).
"use strict";

(function () {
  const DELAY_MS = 250;  // debounce: one request once typing pauses
  const meta = document.querySelector('meta[name="csrf-token"]');
  const csrf = meta ? meta.getAttribute("content") : "";

  function watch(input) {
    const output = document.getElementById(input.id + "-preview");
    let timer = null;
    let sent = 0;  // the latest request wins; a slower earlier answer is dropped

    async function preview() {
      const answer = input.value;
      const number = ++sent;
      if (answer.trim() === "") {
        output.replaceChildren();
        return;
      }
      const body = new URLSearchParams({problem: input.dataset.problem, part: input.dataset.part, answer: answer});
      try {
        const response = await fetch(input.dataset.preview, {
          method: "POST", body: body, credentials: "same-origin",
          headers: {"X-CSRF-Token": csrf, "Accept": "text/html"},
        });
        const html = await response.text();
        if (number !== sent) return;
        if (!response.ok) {
          output.textContent = response.status === 429 ? "Too many previews at once; the next pause will show it."
                             : response.status === 401 ? "You are signed out: reload the page to sign in again."
                             : "Preview unavailable; you can still submit.";
          return;
        }
        // the fragment is rendered by the server with every student string escaped
        const fragment = new DOMParser().parseFromString("<div>" + html + "</div>", "text/html");
        output.replaceChildren(...fragment.body.firstChild.childNodes);
      } catch (error) {
        if (number === sent) output.textContent = "Preview unavailable; you can still submit.";
      }
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(preview, DELAY_MS);
    });
  }

  document.querySelectorAll("input[data-preview]").forEach(watch);
})();
