// The choices a product kind offers in the add-to-cart form (what the store's API accepts per kind), each
// with its default shown selected, and the words for the choices on cart and order lines.
import { $, el, t } from "./core.js";

const CHOICES = {
  print: [
    { name: "finish", label: "finish", values: ["lustre", "glossy", "matte"] },
    { name: "border", label: "border", values: [false, true] },
  ],
  canvas: [{ name: "wrap", label: "wrap", values: ["gallery", "mirror", "white", "black"] }],
};
const WORDS = {
  lustre: "finishLustre", glossy: "finishGlossy", matte: "finishMatte", false: "borderNo", true: "borderYes",
  gallery: "wrapGallery", mirror: "wrapMirror", white: "wrapWhite", black: "wrapBlack",
};

export function renderProductOptions(kind) {
  const box = $("#product-options");
  box.replaceChildren(...(CHOICES[kind] || []).flatMap(({ name, label, values }) => {
    const select = el("select", { id: `product-option-${name}`, "data-option": name });
    select.append(...values.map((value, index) => new Option(t(WORDS[value]), String(value), index === 0, index === 0)));
    return [el("label", { for: select.id, text: t(label) }), select];
  }));
  box.hidden = !box.children.length;
}

export function chosenOptions() {
  const options = {};
  for (const select of $("#product-options").querySelectorAll("select[data-option]")) {
    const value = select.value;
    options[select.dataset.option] = value === "true" ? true : value === "false" ? false : value;
  }
  return options;
}

// "Finish: matte · Border: yes" in the page's language (the crop is shown by the photo itself).
export function describeOptions(options) {
  return Object.entries(options || {}).filter(([name]) => CHOICES.print.concat(CHOICES.canvas).some((c) => c.name === name))
    .map(([name, value]) => `${t(name)}: ${t(WORDS[String(value)] || "")}`.trim()).join(" · ");
}
