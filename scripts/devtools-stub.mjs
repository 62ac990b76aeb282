// Ink imports react-devtools-core only when DEV=true; the bundle never connects to it.
export default { initialize() {}, connectToDevTools() {} };
// Also stands in for `ws`, which only Ink's devtools polyfill imports.
export class WebSocket {}
