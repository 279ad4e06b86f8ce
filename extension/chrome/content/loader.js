// MV3 content scripts cannot be ES modules, but they may import() the extension's
// own web-accessible modules, which then run in this isolated world. This file
// declares nothing, so it adds no global to any world.
import(chrome.runtime.getURL("content/main.js")).catch((error) => {
  console.error("Pre-Match Email Coach did not start:", error?.message || error);
});
