// Copies the text of one element (the new API token) to the clipboard; the browser may refuse (then it throws).
export async function copyText(id) {
    const element = document.getElementById(id);
    if (!element) throw new Error("nothing to copy");
    await navigator.clipboard.writeText(element.textContent.trim());
}
