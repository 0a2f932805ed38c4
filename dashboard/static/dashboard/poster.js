/* The entrance poster: the print button (the page itself is laid out for A4 by poster.css). */
document.getElementById("print-poster").addEventListener("click", () => window.print());
