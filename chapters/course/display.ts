import * as tslab from 'tslab';

/**
 * Shows an SVG image in the notebook. Outside a Jupyter kernel (a plain node script, a test) tslab has nowhere to
 * send it and throws "Not ready"; then a one-line text stand-in is printed instead.
 */
export function showSvg(svg: string, caption: string): void {
  try {
    tslab.display.svg(svg);
  } catch (e) {
    if (!(e instanceof Error) || !/not ready/i.test(e.message)) throw e;
    console.log(`[figure: ${caption}]`);
  }
}
