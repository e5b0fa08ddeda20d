/**
 * How the converter program (convert-program.ts) says "this file cannot be converted, however often
 * it is tried" (builtin-ifc.ts makes it a permanent failure). Its own module, so that the server
 * names it without loading web-ifc or iTwin.js, which only the converter's process needs.
 */
export const CANNOT_CONVERT_EXIT_CODE = 2;
