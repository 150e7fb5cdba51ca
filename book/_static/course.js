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

// The language switch (English | 한국어): book/_ext/course_site.py names the same page in the other
// edition in <meta name="course-twin">, as a URL relative to this page (the site works from any
// folder and from file://). The link keeps the section the reader is at (the URL's #hash; section
// anchors are the same in both editions) and, on the search page, the query.
document.addEventListener("DOMContentLoaded", () => {
  const twins = [...document.querySelectorAll('meta[name="course-twin"]')];
  if (!twins.length) return;
  const here = (document.documentElement.lang || "en").slice(0, 2);
  const names = { en: "English", ko: "한국어" };
  const nav = document.createElement("nav");
  nav.className = "course-lang-switch";
  nav.setAttribute("aria-label", here === "ko" ? "언어 선택" : "Language");
  const links = [];
  for (const lang of ["en", "ko"]) {
    if (nav.childElementCount) nav.append(document.createTextNode(" | "));
    const twin = twins.find((m) => m.dataset.lang === lang);
    if (lang === here || !twin) {
      const span = document.createElement("span");
      span.className = "course-lang-current";
      span.lang = lang;
      span.textContent = names[lang];
      span.setAttribute("aria-current", "true");
      nav.append(span);
    } else {
      const a = document.createElement("a");
      a.className = "course-lang-link";
      a.lang = lang;
      a.hreflang = lang;
      a.textContent = names[lang];
      a.dataset.base = twin.getAttribute("content");
      links.push(a);
      nav.append(a);
    }
  }
  const update = () => links.forEach((a) => {
    const search = /(^|\/)search\.html$/.test(location.pathname) ? location.search : "";
    a.setAttribute("href", a.dataset.base + search + location.hash);
  });
  update();
  window.addEventListener("hashchange", update);
  links.forEach((a) => a.addEventListener("click", update));
  // In the article header, before the theme's buttons (download, full screen, theme, search).
  const slot = document.querySelector(".article-header-buttons")
            || document.querySelector(".header-article-items__end")
            || document.querySelector(".bd-header-article");
  if (slot) slot.prepend(nav);
  else document.body.prepend(nav);
});
