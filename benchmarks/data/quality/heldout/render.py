"""Render the heldout set's pictures (images/) and its PDF document (docs/). Committed; re-run to rebuild:

    .venv/bin/pip install reportlab     # generation only
    .venv/bin/python benchmarks/data/quality/heldout/render.py

Nothing is downloaded: fonts come from the system (DejaVu) or Pillow, photos from scikit-image's
bundled data (the photo strip uses three faces of its Labeled Faces in the Wild subset), QR codes
from OpenCV.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from render_common import dialog, pdf, poster, receipt, save_photo, scanned_page  # noqa: E402

IMAGES, DOCS = HERE / "images", HERE / "docs"


def receipts() -> None:
    receipt(["FRESHFIELD GROCERS", "41 Station Parade, Elmsworth"],
            [("17/03/2026  09:12  Till 1", ""), ("-", ""), ("Free range eggs x6", "2.85"),
             ("Sourdough loaf", "3.60"), ("Apples 1.2 kg", "2.64"), ("Cheddar 400 g", "4.25"),
             ("Oat milk 1 L", "1.79"), ("-", ""), ("*TOTAL", "15.13"), ("Items", "5"), ("Debit card", "15.13")],
            ["Thank you - see you soon"]).save(IMAGES / "receipt-grocer.png")
    receipt(["THE INKWELL BOOKSHOP", "7 Minster Yard, Elmsworth", "www.inkwell.example"],
            [("Date: 28/11/2025  15:47", ""), ("-", ""), ("Canal Walks of the North", "12.99"),
             ("Birthday card", "2.75"), ("Bookmark", "1.50"), ("-", ""), ("*TOTAL", "17.24"),
             ("Gift voucher", "10.00"), ("Card", "7.24")],
            ["Exchanges within 30 days"]).save(IMAGES / "receipt-bookshop.png")
    receipt(["HALLAM PARK SERVICE STATION", "Westgate Road, Corbridge"],
            [("05/04/2026 18:03  Pump 6", ""), ("-", ""), ("Diesel 38.42 L @ 1.489", "57.21"),
             ("Screenwash 5 L", "4.99"), ("Car wash - Deluxe", "8.00"), ("-", ""), ("*TOTAL", "70.20"),
             ("Mastercard", "70.20")],
            ["Fuel prices include VAT"]).save(IMAGES / "receipt-fuel.png")


def lantern_poster() -> None:
    poster(["LANTERN NIGHT", "AT HOLLINS"],
           ["Saturday 24 October 2026", "Palm House Lawn, Hollins Botanic Garden", "Gates 17:00, last entry 20:00",
            "Lantern trail, fire jugglers,", "hot chestnuts and cider", "Adults £9, under-16s £4"],
           "https://hollins-garden.example/lantern-night", caption="Scan to book your timed ticket",
           band=(110, 40, 20), paper=(250, 240, 220)).save(IMAGES / "poster-lantern-night.png")


def printer_screenshot() -> None:
    dialog("PrintHub - Office LaserJet", "Paper jam in tray 2",
           ["Open the front door and remove the jammed paper,", "then close the door and press Resume.",
            "Status code: E-204"],
           ["Resume", "Cancel job", "Help"], default=0, accent=(230, 140, 20)).save(IMAGES / "screenshot-printer.png")


def photo_strip() -> None:
    """A photo-booth strip: three people, one per frame (faces from skimage's LFW subset)."""
    from skimage import data

    faces = data.lfw_subset()[:3]
    strip = Image.new("RGB", (300, 50 + 3 * 300), (245, 245, 240))
    for n, face in enumerate(faces):
        frame = Image.fromarray((face * 255).astype(np.uint8)).resize((260, 260), Image.Resampling.LANCZOS)
        strip.paste(frame.convert("RGB"), (20, 20 + n * 300))
    strip.save(IMAGES / "photo-booth-strip.jpg", "JPEG", quality=92)


def rocket_photo() -> None:
    from skimage import data

    save_photo(data.rocket(), IMAGES / "photo-launch.jpg",
               exif={0x010F: "Canon", 0x0110: "Canon EOS 250D"},
               exif_ifd={0x9003: "2024:06:02 14:05:33"})


def scanned_letter() -> None:
    scanned_page(["ELMSWORTH COMMUNITY CHOIR", "Change of rehearsal venue",
                  "",
                  "Dear singers,",
                  "",
                  "St Cuthbert's Church Hall is being rewired, so from",
                  "Tuesday 3 February 2026 until half term our rehearsals",
                  "move to the hall of Priory School, 14 Abbey Road.",
                  "",
                  "The time does not change: 19:30 to 21:30. Please use",
                  "the school's side gate on Abbey Close; the main gate",
                  "is locked at 18:00. Parking is in the staff car park.",
                  "",
                  "We return to St Cuthbert's on Tuesday 24 February.",
                  "",
                  "With best wishes,",
                  "Nadia Kowalski, Chair"],
                 angle=-1.1, seed=11, heading_lines=2).save(IMAGES / "scan-choir-letter.jpg", quality=85)


MANUAL = [
    ("1. Who this manual is for", [
        "Every member of the kitchen team at Fennel & Fig, including part-time and agency staff, reads this "
        "manual in their first week and signs the training record. The food safety lead is head chef Ana "
        "Duarte; when she is not in, the kitchen manager, Lewis Brand, is responsible."]),
    ("2. Personal hygiene", [
        "- Wash your hands for at least 20 seconds with warm water and liquid soap: when you start work, after a "
        "break, after touching raw meat, fish or eggs, after handling rubbish, and after using the toilet.",
        "- The hand basins are for hands only: never rinse food or utensils in them.",
        "- Cover cuts with blue waterproof plasters. Remove watches and rings, except a plain wedding band.",
        "- Anyone with vomiting or diarrhoea must not work with food and must stay off work until 48 hours after "
        "the symptoms have stopped. Tell the manager by phone before your shift, not when you arrive."]),
    ("3. Temperatures", [
        "- Fridges: between 1 and 5 degrees C (aim for 3 degrees C). Freezers: minus 18 degrees C or colder.",
        "- Check and record every fridge and freezer temperature twice a day, at opening and at closing, on form "
        "FS-3. If a fridge reads above 8 degrees C, move the food to another fridge and tell the manager.",
        "- Cook food until the centre reaches 75 degrees C. Reheated food must also reach 75 degrees C in the "
        "centre (our Scottish branches use 82 degrees C, as the law there requires).",
        "- Keep hot food for service at 63 degrees C or above, for no more than 2 hours.",
        "- Cool cooked food to below 8 degrees C within 90 minutes, in shallow trays or in the blast chiller, then "
        "put it in the fridge. Never put hot food straight into the fridge.",
        "- Defrost frozen food in the bottom of the walk-in fridge, never at room temperature."]),
    ("4. The probe thermometer", [
        "Clean the probe with a probe wipe before and after every use. Every Monday, check it in iced water (it "
        "must read between minus 1 and plus 1 degrees C) and in boiling water (between 99 and 101 degrees C), and "
        "write the readings on form FS-5. A probe that fails the check is taken out of use at once."]),
    ("5. Chopping boards and knives", [
        "Use the colour-coded boards and knife handles, and never swap them:",
        "- Red: raw meat and poultry.",
        "- Blue: raw fish.",
        "- Yellow: cooked meat.",
        "- Green: salad and fruit.",
        "- Brown: unwashed vegetables.",
        "- White: bread and dairy.",
        "- Purple: allergen-free orders only."]),
    ("6. Allergens", [
        "The law names 14 allergens. Every dish on the menu has an allergen card in the blue folder at the pass. "
        "An order for a customer with an allergy is printed on a purple ticket: the chef who takes it washes "
        "their hands, uses the purple board and knife and clean pans, and carries the plate to the table "
        "separately. If you are not sure whether a dish is safe, say so: never guess."]),
    ("7. Storage and labels", [
        "Label every prepared item with its name, the date it was made and its use-by date. Prepared food is used "
        "within 3 days, counting the day it was made as day 1; cooked rice within 24 hours. Store raw meat and "
        "fish on the bottom shelves of the fridge, below ready-to-eat food. Rotate stock: first in, first out."]),
    ("8. Deliveries", [
        "Check every delivery before signing for it. Reject chilled food above 8 degrees C, frozen food warmer "
        "than minus 15 degrees C, damaged packaging and food past its date. Record the checks on form FS-2."]),
    ("9. Cleaning", [
        "Clean as you go. Sanitiser must stay on a surface for 30 seconds before you wipe it off. The deep clean "
        "of the kitchen, including behind the equipment, is done every Sunday after closing. Report any sign of "
        "mice, rats or insects to the manager at once; the pest controller visits every 6 weeks."]),
    ("10. Burns and cuts", [
        "Cool a burn under cool running water for 20 minutes. The first-aid box is on the wall by the back door; "
        "record every accident in the accident book the same day."]),
]


def food_safety_manual() -> None:
    pdf(DOCS / "fennel-and-fig-kitchen-food-safety.pdf", "Fennel & Fig Cafes: Kitchen Food Safety Manual",
        "Edition 5, March 2026. For all kitchen staff. Keep a printed copy in the office.", MANUAL)


if __name__ == "__main__":
    IMAGES.mkdir(exist_ok=True)
    receipts()
    lantern_poster()
    printer_screenshot()
    photo_strip()
    rocket_photo()
    scanned_letter()
    food_safety_manual()
    print("rendered", sorted(p.name for p in IMAGES.iterdir()), "and the PDF")
