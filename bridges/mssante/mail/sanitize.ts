import sanitizeHtml from "sanitize-html";

export interface SanitizedHtml {
  readonly html: string;
  /** Images the mail wanted to load from elsewhere (tracking pixels, remote logos): not loaded. */
  readonly remoteImagesBlocked: number;
}

/**
 * What Matrix clients render (the spec's HTML subset). Anything else goes: scripts, styles,
 * forms, frames, event handlers, images (remote ones would reveal that the mail was read;
 * inline ones are carried as attachments), links other than http(s) and mailto.
 */
const ALLOWED_TAGS = [
  "p", "br", "hr", "div", "span", "blockquote", "pre", "code",
  "h1", "h2", "h3", "h4", "h5", "h6",
  "b", "strong", "i", "em", "u", "s", "del", "strike", "sub", "sup",
  "ul", "ol", "li", "dl", "dt", "dd",
  "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
  "a",
];

export function sanitizeMailHtml(html: string): SanitizedHtml {
  let remoteImagesBlocked = 0;
  const clean = sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { a: ["href"], td: ["colspan", "rowspan"], th: ["colspan", "rowspan"], ol: ["start"] },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesAppliedToAttributes: ["href"],
    allowProtocolRelative: false,
    disallowedTagsMode: "discard",
    nonTextTags: ["script", "style", "textarea", "option", "noscript", "title", "head", "template", "iframe", "object", "embed"],
    onOpenTag: (name, attribs) => {
      if (name === "img" && /^(https?:)?\/\//i.test(attribs["src"] ?? "")) remoteImagesBlocked++;
    },
  });
  return { html: clean.trim(), remoteImagesBlocked };
}
