"""Render the dev set's pictures (images/) and its PDF document (docs/). Committed; re-run to rebuild:

    .venv/bin/pip install reportlab     # generation only
    .venv/bin/python benchmarks/data/quality/dev/render.py

Nothing is downloaded: fonts come from the system (DejaVu) or Pillow, photos from scikit-image's
bundled data, QR codes from OpenCV.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from render_common import dialog, pdf, poster, receipt, save_photo, scanned_page  # noqa: E402

IMAGES, DOCS = HERE / "images", HERE / "docs"


def receipts() -> None:
    receipt(["THE COPPER KETTLE CAFE", "12 Harbour Row, Saltmarsh", "Tel 01632 960 118"],
            [("Date: 14/02/2026  Time: 12:47", ""), ("Table 6   Server: Amy", ""), ("-", ""),
             ("Flat white", "3.40"), ("Cheese scone", "2.95"), ("Tomato soup", "5.85"),
             ("Sparkling water", "1.90"), ("-", ""), ("*TOTAL", "14.10"), ("VAT included", "2.35"),
             ("Card payment", "14.10")],
            ["Thank you for visiting!"]).save(IMAGES / "receipt-cafe.png")
    receipt(["PORTMELLIN CHANDLERY", "Slipway Road, Portmellin", "VAT No. GB 318 4471 20"],
            [("09/01/2026 16:22   Till 2", ""), ("-", ""), ("Mooring rope 10 m", "18.50"),
             ("Shackle 8 mm x2", "7.80"), ("Cable ties (100)", "3.25"), ("Yacht varnish 750 ml", "14.99"),
             ("-", ""), ("*TOTAL", "44.54"), ("Cash", "50.00"), ("Change", "5.46")],
            ["Returns within 28 days with receipt"]).save(IMAGES / "receipt-chandlery.png")
    receipt(["GREENLEAF PHARMACY", "3 Market Street, Millbrook"],
            [("Date 02/03/2026", ""), ("-", ""), ("Sun cream SPF50 200 ml", "8.49"),
             ("Plasters (40)", "2.15"), ("Throat lozenges", "3.79"), ("-", ""), ("*TOTAL", "14.43"),
             ("Loyalty points earned", "14"), ("Contactless", "14.43")],
            ["Get well soon"]).save(IMAGES / "receipt-pharmacy.png")


def festival_poster() -> None:
    poster(["SALTMARSH SEA", "SHANTY FESTIVAL"],
           ["Friday 19 June 2026", "Harbour Green, Saltmarsh", "Doors 18:30, music until 22:00",
            "Eight choirs, a ceilidh band", "and a fish supper", "Tickets £8, children free"],
           "https://saltmarsh.example/shanty-2026", caption="Scan for tickets and the line-up",
           band=(22, 60, 110), paper=(240, 236, 224)).save(IMAGES / "poster-shanty-festival.png")


def error_screenshot() -> None:
    dialog("CloudNest Sync", "Upload failed",
           ["The file \"Q1-budget.xlsx\" could not be uploaded", "because the server did not respond.",
            "Error code: CN-5031"],
           ["Retry", "View log", "Cancel"], default=0).save(IMAGES / "screenshot-upload-error.png")


def photos() -> None:
    from skimage import data

    save_photo(data.astronaut(), IMAGES / "photo-portrait.jpg", size=(400, 400))
    save_photo(data.coffee(), IMAGES / "photo-coffee.jpg",
               exif={0x010F: "FUJIFILM", 0x0110: "X-T30", 0x0131: "Digital Camera X-T30 Ver2.00"},
               exif_ifd={0x9003: "2025:09:14 08:42:10"})


def scanned_notice() -> None:
    scanned_page(["MILLBROOK ROWING CLUB", "Notice to all members",
                  "",
                  "The boathouse floor will be repaired from Monday 2 March",
                  "to Friday 6 March 2026. During the work the boathouse,",
                  "the ergo room and the changing area are closed.",
                  "",
                  "Crews may still take boats from the lower pontoon,",
                  "with the Captain's permission, between 07:00 and 16:00.",
                  "",
                  "The boathouse opens again on Saturday 7 March at 06:00.",
                  "The workmen's skip will stand in bays 3 and 4 of the",
                  "car park; please do not park there that week.",
                  "",
                  "Dai Pryce, Boatman",
                  "20 February 2026"],
                 angle=1.3, seed=7, heading_lines=2).save(IMAGES / "scan-boathouse-notice.jpg", quality=85)


MANUAL = [
    ("1. Access and inductions", [
        "Every member completes the general workshop induction, which takes 90 minutes, before using any "
        "tool in Zone B, the machine workshop. Zone A, the bench room, needs no induction. Each machine "
        "carries a coloured tag that says what you need before you may use it:",
        "- Green tag: a machine induction, then free use. Bandsaw (induction 30 minutes), pillar drill "
        "(20 minutes), belt sander (20 minutes).",
        "- Amber tag: a machine induction, then three sessions supervised by a host. Laser cutter "
        "(45 minutes), wood lathe (60 minutes), CNC router (2 hours).",
        "- Red tag: staff only. Table saw, TIG welder, planer-thicknesser.",
        "Book inductions in the members' portal. The host stamps your induction card; carry it in the "
        "workshop."]),
    ("2. Personal protective equipment", [
        "- Safety glasses in Zone B at all times, also when you are only watching.",
        "- Ear defenders at the CNC router and the planer-thicknesser, where the noise is above 85 dB.",
        "- An FFP2 dust mask when sanding MDF or cutting it on the CNC router.",
        "- No gloves at the wood lathe or the pillar drill: a glove can be caught and pull your hand in.",
        "- Tie back long hair; no loose sleeves, scarves or necklaces near turning machines.",
        "- Closed-toe shoes in every zone."]),
    ("3. The laser cutter (Lumen 60 W, bay L2)", [
        "Never leave the laser cutter while it is cutting, not even for a minute. Switch on the extraction "
        "before the job and leave it running for 2 minutes afterwards.",
        "Allowed materials: plywood and MDF up to 6 mm thick, cast or extruded acrylic up to 8 mm thick, "
        "card and paper, vegetable-tanned leather up to 3 mm, and cork.",
        "Forbidden materials: PVC and vinyl (cutting them gives off chlorine gas, which harms you and "
        "corrodes the machine), polycarbonate, fibreglass, coated or mirrored metal, chrome-tanned "
        "leather, and anything you cannot identify.",
        "The longest single job is 2 hours; after that, let the tube rest for 15 minutes.",
        "If a flame does not go out by itself within 3 seconds, pause the job and keep the lid shut. If "
        "it keeps burning, use the CO2 extinguisher that hangs beside the cutter."]),
    ("4. Opening hours and working alone", [
        "The workshop is open from 09:00 to 22:00. After 20:00 at least two people must be present in "
        "Zone B. Nobody may use a machine with an Amber or Red tag alone at any time of day."]),
    ("5. Fire", [
        "Use the right extinguisher for the fire:",
        "- Water (red label): wood, paper and textiles.",
        "- CO2 (black label): electrical equipment, including the laser cutter and the switchboard.",
        "- Foam (cream label): flammable liquids such as solvents, oils and varnish.",
        "Fire blankets hang in the kitchen and beside the laser cutter. When you discover a fire, raise "
        "the alarm at the nearest call point and leave by the nearest exit. The assembly point is "
        "assembly point C, in the car park by lamp post 7. Do not use the goods lift."]),
    ("6. First aid and accidents", [
        "The first-aid kit is by the sink in Zone A; the eye-wash station is just inside the door of "
        "Zone B. Trained first aiders wear a yellow lanyard.",
        "In an emergency, call 999 first, then the duty phone on 07700 900 412.",
        "Record every accident and every near miss within 24 hours, in the incident book or on form "
        "IR-2 in the members' portal."]),
    ("7. Chemicals and waste", [
        "Paints, resins and solvents are kept in the yellow COSHH cabinet. Spray painting only in the "
        "spray booth, with its extraction switched on. Solvent waste goes in the blue drum; oily rags go "
        "in the metal bin with a lid, because they can catch fire by themselves; used blades go in the "
        "red sharps box."]),
    ("8. Cleaning up", [
        "Stop work 15 minutes before the end of your booking to clean your machine and the floor around "
        "it. Empty the dust extractor bag when it is three-quarters full."]),
    ("9. Breaking the rules", [
        "A first breach of this manual earns a written warning. A second breach within 12 months means "
        "a 30-day suspension from the workshop. A third breach ends your membership."]),
]


def safety_manual() -> None:
    pdf(DOCS / "tidewater-makerspace-safety-manual.pdf", "Tidewater Makerspace: Workshop Safety Manual",
        "Revision 4, January 2026. Approved by the safety officer, Marcus Eze. Every member must read it.",
        MANUAL)


if __name__ == "__main__":
    IMAGES.mkdir(exist_ok=True)
    receipts()
    festival_poster()
    error_screenshot()
    photos()
    scanned_notice()
    safety_manual()
    print("rendered", sorted(p.name for p in IMAGES.iterdir()), "and the PDF")
