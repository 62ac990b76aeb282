// Ink imports react-devtools-core only when DEV=true; the bundle never connects to it.
export default { initialize() {}, connectToDevTools() {} };
