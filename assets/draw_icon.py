"""Draws assets/icon.png, the dashboard's page icon (run once; the PNG is committed).

A local image, so the browser never fetches an icon font from the internet for the tab.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 64
OUT = Path(__file__).resolve().parent / "icon.png"


def draw() -> Image.Image:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((2, 2, SIZE - 3, SIZE - 3), radius=14, fill=(47, 84, 235, 255))
    # A speech bubble (an interview) with two lines of text.
    pen.rounded_rectangle((13, 15, 51, 41), radius=7, fill=(255, 255, 255, 255))
    pen.polygon([(20, 40), (20, 50), (30, 40)], fill=(255, 255, 255, 255))
    pen.rounded_rectangle((19, 22, 45, 25), radius=1, fill=(47, 84, 235, 255))
    pen.rounded_rectangle((19, 30, 38, 33), radius=1, fill=(47, 84, 235, 255))
    return image


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    draw().save(OUT, optimize=True)
    print(OUT)
