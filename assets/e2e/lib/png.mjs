// Whether a screenshot shows something: the browser decodes the PNG and
// the pixel variance is computed on a canvas (no image library needed).

/** Returns {width, height, stddev, distinct} of a PNG's pixels, via page. */
export async function pngStats(page, png) {
  const b64 = Buffer.from(png).toString("base64");
  return page.evaluate(async (data) => {
    const img = new Image();
    img.src = "data:image/png;base64," + data;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const g = c.getContext("2d");
    g.drawImage(img, 0, 0);
    const px = g.getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    let sq = 0;
    let n = 0;
    const colors = new Set();
    for (let i = 0; i < px.length; i += 4 * 7) {
      const y = 0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2];
      sum += y;
      sq += y * y;
      n++;
      if (colors.size < 5000) colors.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
    }
    const mean = sum / n;
    return { width: c.width, height: c.height, stddev: Math.sqrt(Math.max(0, sq / n - mean * mean)), distinct: colors.size };
  }, b64);
}
