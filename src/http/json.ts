const JSON_TYPE = /^application\/json\s*(;|$)/i

/** Whether a Content-Type is JSON (`application/json`, any parameters). */
export const isJson = (contentType: string | undefined) =>
  contentType !== undefined && JSON_TYPE.test(contentType)
