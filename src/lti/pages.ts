/**
 * The few pages LTI shows, inside the LMS's frame or beside it: a refused launch (what was wrong, in
 * words), the offer to open the tool in its own window when the frame's cookies are blocked, and the
 * note that choosing content from the LMS is not here yet. Plain HTML, every text escaped, no script.
 */
const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`)

const page = (title: string, ...paragraphs: string[]) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${paragraphs.join('')}</main></body></html>`

const p = (text: string) => `<p>${escapeHtml(text)}</p>`

export const refusedPage = (detail: string, requestId: string) =>
  page(
    'This launch was refused',
    p(detail),
    p(`If it happens again, give your administrator this reference: ${requestId}.`),
  )

/** Offered when the frame's cookies do not stick: the same login, in a window of its own. */
export const newWindowPage = (loginUrl: string) =>
  page(
    'Open the activity in a new window',
    p('Your browser keeps this tool from remembering you inside the course page.'),
    `<p><a href="${escapeHtml(loginUrl)}" target="_blank" rel="opener">Open it in a new window</a></p>`,
  )

export const deepLinkingPage = () =>
  page(
    'Choosing content here is not available yet',
    p(
      'Add the activity as a link instead, with the custom parameter activity=<its id> (or unit= or skill=), ' +
        'which the studio shows on each activity.',
    ),
  )
