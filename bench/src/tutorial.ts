/** The tutorial set-up's preload (tutorial-tracing.ts), as an absolute path for `node --import`. */
export const TUTORIAL_PRELOAD = new URL('./tutorial-tracing.ts', import.meta.url).pathname;
