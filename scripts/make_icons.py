"""Draw the app icons (a white heart on green) into static/img/icons/. Run once; the PNGs are committed."""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "static" / "img" / "icons"
GREEN, WHITE = (25, 135, 84, 255), (255, 255, 255, 255)


def heart(draw: ImageDraw.ImageDraw, size: int, scale: float) -> None:
    r = size * 0.16 * scale
    cx, cy = size / 2, size / 2 - r * 0.35
    draw.ellipse((cx - 2 * r, cy - r, cx, cy + r), fill=WHITE)
    draw.ellipse((cx, cy - r, cx + 2 * r, cy + r), fill=WHITE)
    draw.polygon([(cx - 1.93 * r, cy + 0.35 * r), (cx + 1.93 * r, cy + 0.35 * r), (cx, cy + 2.5 * r)], fill=WHITE)


def icon(size: int, *, maskable: bool) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, size, size), fill=GREEN)
    else:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=GREEN)
    heart(draw, size, 0.8 if maskable else 1.0)
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (72, 96, 128, 144, 152, 192, 384, 512):
        icon(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    icon(512, maskable=True).save(OUT / "maskable-512.png", optimize=True)
    icon(192, maskable=True).save(OUT / "maskable-192.png", optimize=True)
    icon(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    icon(32, maskable=False).save(OUT / "favicon-32.png", optimize=True)


if __name__ == "__main__":
    main()
