"""Render the heldout7 set's two PDF documents (docs/). Committed; re-run to rebuild:

    .venv/bin/pip install reportlab     # generation only
    .venv/bin/python benchmarks/data/quality/heldout7/render.py

The other four documents (markdown, plain text, HTML) are written by hand. The PDFs are text PDFs
made with reportlab's invariant mode, so the same reportlab version writes the same bytes.
The ferry operator, its islands, the printer, its maker and their prices are fictional.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from render_common import pdf  # noqa: E402

DOCS = HERE / "docs"

FERRY = [
    ("About these notes", [
        "Saltmarsh Ferries runs the car and passenger ferry MV Curlew between Port Elva on the mainland and "
        "Inish Carra, and the small Skerrow boat between Inish Carra and Skerrow island. These notes give the "
        "timetable, the fares and the conditions of travel for 2027. Times are local; the ship leaves on time, "
        "so please allow for queues at the terminal.",
    ]),
    ("Summer timetable: 1 May to 30 September", [
        "- From Port Elva: 07:15, 09:30, 12:00, 14:45, 17:30, and 20:00 on Fridays and Saturdays only.",
        "- From Inish Carra: 08:25, 10:40, 13:10, 16:00, 18:40, and 21:05 on Fridays and Saturdays only.",
        "The crossing takes 55 minutes. On Sundays there is no 07:15 sailing, so the first boat from Port Elva is "
        "the 09:30 and the first from Inish Carra the 10:40.",
    ]),
    ("Winter timetable: 1 October to 30 April", [
        "- From Port Elva, Monday to Saturday: 08:00, 12:30 and 16:15. Sunday: 12:30 only.",
        "- From Inish Carra, Monday to Saturday: 09:10, 13:40 and 17:20. Sunday: 13:40 only.",
        "In winter the crossing can take up to 65 minutes in rough weather. There are no sailings on 25 December "
        "and 1 January.",
    ]),
    ("Fares for a single journey", [
        "- Adult: \u00a39.40",
        "- Child aged 5 to 15: \u00a34.70. Children under 5 travel free.",
        "- Senior, aged 60 and over: \u00a37.10",
        "- Adult day return for foot passengers, coming back on the same day: \u00a314.00",
        "- Car up to 5 m long, including the driver: \u00a348.00. Other people in the car pay the foot passenger "
        "fares above.",
        "- Van or motorhome up to 6 m long, including the driver: \u00a366.00",
        "- Motorcycle, including the rider: \u00a324.50",
        "- Bicycle: \u00a32.50. Kayak or canoe: \u00a36.00. Dogs and assistance animals travel free of charge.",
        "- Vehicles and trailers longer than these limits: \u00a38.00 for each extra metre or part of a metre.",
        "A book of 10 single tickets for adult foot passengers costs \u00a372.00. It is valid for 6 months from "
        "the date of purchase, and the tickets may be used by different people. Holders of a Saltmarsh "
        "residents' card get 40% off vehicle fares; foot passenger fares are not discounted for residents.",
    ]),
    ("Booking and check-in", [
        "Vehicles must be booked in advance online or by telephone on 01632 770 400; space on the car deck is "
        "limited to 32 cars, and summer weekends are often full weeks ahead. Foot passengers and cyclists do not "
        "need to book: buy tickets at the kiosk in the terminal, or on board by card only.",
        "Check-in for vehicles closes 20 minutes before departure. Foot passengers must be at the gangway 10 "
        "minutes before departure. Vehicles that arrive after check-in has closed may lose their place to the "
        "standby queue and travel on a later sailing if there is room.",
        "A vehicle booking can be changed free of charge up to 24 hours before departure; after that, each change "
        "costs \u00a312.00. If a booked vehicle does not turn up, the fare is not refunded.",
    ]),
    ("Weather and disruption", [
        "Sailings may be delayed or cancelled when the wind is above Force 7 or visibility is poor. The sailing "
        "status is given on our status line, 01632 770 414, and on the website from 06:00 each day. If we cancel a "
        "sailing, you may travel on the next sailing with space or have your fare refunded in full. We do not pay "
        "for accommodation, meals or other costs caused by cancellations due to weather.",
    ]),
    ("The Skerrow boat", [
        "The Skerrow boat runs in summer only, from 1 May to 30 September, between Inish Carra pier and the "
        "landing stage on Skerrow. The crossing takes 20 minutes.",
        "- From Inish Carra: 10:00 and 14:00.",
        "- From Skerrow: 11:30 and 16:30.",
        "The boat carries up to 12 passengers and cannot be booked: places are given in the order people arrive "
        "at the pier. It takes no bicycles. Fares are \u00a35.20 single for adults and \u00a32.60 for children "
        "aged 5 to 15; the book of 10 tickets is not valid on this boat. Skerrow has no shop and no shelter, so "
        "bring water and warm clothing.",
    ]),
    ("Luggage and on board", [
        "Foot passengers may take 2 bags each free of charge; large items such as furniture travel as freight and "
        "must be booked with the freight office. Drivers and passengers must leave the car deck once the ship is "
        "under way and may not return to it until the crew say so. MV Curlew has a heated passenger lounge, an "
        "open viewing deck and accessible toilets. Please keep children under supervision on the open deck at all "
        "times.",
    ]),
]

PRINTER = [
    ("1. About the Formline P3", [
        "The Formline P3 is a desktop 3D printer that builds parts from plastic filament, one layer at a time. "
        "Read this guide before you print for the first time and keep it with the printer.",
        "- Build volume: 220 \u00d7 220 \u00d7 250 mm (width \u00d7 depth \u00d7 height)",
        "- Filament diameter: 1.75 mm only",
        "- Nozzle: 0.4 mm brass fitted; 0.2 mm, 0.6 mm and hardened steel 0.4 mm nozzles are sold separately",
        "- Highest nozzle temperature: 300 \u00b0C. Highest bed temperature: 110 \u00b0C",
        "- Layer height: 0.08 to 0.32 mm",
        "- Print speed: up to 250 mm/s; 150 mm/s is recommended for the best surface finish",
        "- Power supply: 100 to 240 V. The printer draws up to 350 W while heating and about 120 W on average "
        "while printing PLA.",
        "- Room temperature while printing: 15 to 30 \u00b0C",
    ]),
    ("2. First setup", [
        "1. Remove the three red transport screws under the bed. Keep them: they must be refitted before the "
        "printer is moved or shipped.",
        "2. Fit the spool holder on the left side and connect the power cable. Switch on with the switch at the "
        "back.",
        "3. Choose Setup, then Auto Level. The probe measures a grid of 25 points (5 by 5) across the bed and "
        "stores the result; this takes about 6 minutes. Repeat it whenever the printer has been moved or the build "
        "plate has been changed.",
        "4. Load filament: heat the nozzle with Load Filament, push the filament into the extruder until it grips, "
        "and wait until plastic flows from the nozzle.",
        "5. Print the test model from the built-in storage to check that the first layer sticks evenly.",
    ]),
    ("3. Materials and settings", [
        "- PLA: nozzle 200 to 220 \u00b0C, bed 55 \u00b0C, part cooling fan at 100%.",
        "- PETG: nozzle 235 to 250 \u00b0C, bed 75 \u00b0C, fan at 40%.",
        "- ABS: nozzle 240 to 260 \u00b0C, bed 100 \u00b0C, fan off. Print ABS only with the enclosure fitted, "
        "in a ventilated room.",
        "- TPU (flexible): nozzle 220 to 235 \u00b0C, bed 45 \u00b0C, print speed no more than 40 mm/s.",
        "Filaments filled with carbon fibre or glow-in-the-dark powder are abrasive and wear out a brass nozzle "
        "within a few hours; fit the hardened steel nozzle before printing them. Filament takes up moisture from "
        "the air, which causes stringing and bubbles: store opened spools in a sealed box with desiccant.",
    ]),
    ("4. Power cuts and the filament sensor", [
        "If the power fails during a print, the P3 saves its position. If power returns within 30 minutes, the "
        "screen offers to resume the print; after longer cuts the bed has usually cooled and the part has come "
        "loose, so start again. The filament sensor above the extruder pauses the print when the filament runs "
        "out or breaks.",
    ]),
    ("5. Maintenance", [
        "- Before each print: check that the build plate is clean and free of old plastic.",
        "- Every week: wash the PEI build plate in warm soapy water and dry it fully.",
        "- Every 200 print hours: grease the Z lead screws with the grease supplied. The printer reminds you with "
        "warning W12.",
        "- Every 500 print hours: check the belt tension and replace the brass nozzle.",
        "- Every 1,000 print hours: replace the PTFE tube in the print head.",
    ]),
    ("6. Error and warning codes", [
        "Codes starting with E stop the print and switch off the heaters. Codes starting with W are reminders and "
        "do not stop a print.",
        "- E101 Nozzle heating failed: the nozzle did not reach its set temperature within 120 seconds. Check that "
        "the heater cable is plugged in firmly, then restart.",
        "- E102 Nozzle temperature sensor fault (open circuit). Do not print; contact Formline support.",
        "- E103 Nozzle overheating: the nozzle is above 310 \u00b0C. Switch off at the power switch at once and "
        "contact Formline support.",
        "- E201 Bed heating failed: the bed did not reach its set temperature within 10 minutes. Check the bed "
        "cable connector.",
        "- E202 Bed temperature sensor fault. Contact Formline support.",
        "- E301 Filament run-out: the sensor no longer detects filament. The print pauses and the nozzle is kept "
        "hot for 15 minutes, then cools. Load new filament and press Resume.",
        "- E302 Extruder jam: the extruder motor slipped more than 5 times in a row, usually because the spool is "
        "tangled or the nozzle is blocked. Untangle the spool or clear the nozzle with the cleaning needle, then "
        "press Resume.",
        "- E401, E402, E403 Homing failed on the X, Y or Z axis: check that nothing blocks the axis, then restart. "
        "E403 can also mean the bed probe is dirty.",
        "- E501 File cannot be read: use a USB stick formatted as FAT32 and file names without special "
        "characters.",
        "- W10 New firmware available. W12 Lubrication due.",
    ]),
    ("7. Safety", [
        "The nozzle and bed stay hot for several minutes after a print: do not touch them until the screen shows "
        "less than 40 \u00b0C. Do not leave the printer running unattended for long periods, keep it away from "
        "curtains and paper, and keep children and pets away from moving parts. Switch off and unplug the printer "
        "before changing the nozzle or doing any maintenance.",
    ]),
]


def main() -> None:
    pdf(DOCS / "saltmarsh-ferries-timetable-and-fares.pdf", "Saltmarsh Ferries",
        "Timetable, fares and conditions of travel 2027: Port Elva to Inish Carra, and the Skerrow boat", FERRY)
    pdf(DOCS / "formline-p3-printer-user-guide.pdf", "Formline P3 3D Printer",
        "User guide: setup, materials, maintenance and error codes (firmware 2.4)", PRINTER)
    print(f"wrote 2 PDFs to {DOCS}")


if __name__ == "__main__":
    main()
