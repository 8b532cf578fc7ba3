// Controls on the page smaller than a finger: run by tests/test_browser_accessibility.py.
(() => {
  const seen = new Set(), small = [];
  const width = document.documentElement.scrollWidth;
  const visible = el => {  // shown, and on the page (not a honeypot parked off-screen)
    const box = el.getBoundingClientRect();
    const onPage = box.right > 0 && box.left < width;
    const shown = el.checkVisibility({visibilityProperty: true, opacityProperty: true});
    return box.width > 1 && box.height > 1 && onPage && shown;
  };
  // A stretched link's target is the card its ::after covers.
  const area = el => {
    const card = el.classList.contains("stretched-link") && el.offsetParent;
    return (card || el).getBoundingClientRect();
  };
  const describe = el => {
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || el.name || "").trim().slice(0, 40);
    const box = el.getBoundingClientRect();
    const classes = typeof el.className === "string" ? el.className.trim().split(/\s+/).join(".") : "";
    const where = el.id ? "#" + el.id : (classes ? "." + classes : "");
    return `${el.tagName.toLowerCase()}${where} "${text}" ${Math.round(box.width)}x${Math.round(box.height)}`;
  };
  const targets = [];
  for (const el of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, summary")) {
    if (el.matches("input[type=checkbox], input[type=radio]") && el.labels && el.labels.length) {
      targets.push(...el.labels);
    } else {
      targets.push(el);
    }
  }
  for (const el of targets) {
    if (seen.has(el) || !visible(el)) continue;
    seen.add(el);
    const box = area(el);
    if (box.width >= 43.5 && box.height >= 43.5) continue;
    if (getComputedStyle(el).display === "inline" && el.closest("p")) continue;
    small.push(describe(el));
  }
  return small;
})
