// The header's download button links the page's source; for a notebook make the browser save
// the .ipynb (instead of showing its JSON in a new tab).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("a.btn-download-source-button").forEach((a) => {
    const href = a.getAttribute("href") || "";
    if (href.endsWith(".ipynb")) {
      a.setAttribute("download", href.split("/").pop());
      a.removeAttribute("target");
    }
  });
});
