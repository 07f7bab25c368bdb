"""Render the heldout5 set's two PDF documents (docs/). Committed; re-run to rebuild:

    .venv/bin/pip install reportlab     # generation only
    .venv/bin/python benchmarks/data/quality/heldout5/render.py

The other four documents (markdown, plain text, HTML) are written by hand. The PDFs are text PDFs
made with reportlab's invariant mode, so the same reportlab version writes the same bytes.
The battery, its maker, the community centre and their prices are fictional.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from render_common import pdf  # noqa: E402

DOCS = HERE / "docs"

BATTERY = [
    ("1. About your battery", [
        "The Voltrek PX500 is the removable battery of Voltrek Ridge and Voltrek Metro electric bicycles "
        "from model year 2027. It is a lithium-ion pack of 36 V and 14 Ah, which stores 504 Wh. It weighs "
        "2.9 kg and fits the down-tube rail of the frame. The battery has a serial number on its underside "
        "that starts with PX5; quote it whenever you contact us. The key number is stamped on the key tag.",
    ]),
    ("2. Charging", [
        "Use only the Voltrek 4 A charger supplied with the bike (model VC-42). Charge the battery on the "
        "bike or removed from it, indoors, on a hard surface and away from anything that can burn.",
        "- From empty to 80%: about 3 hours. From empty to full: about 4 hours 30 minutes.",
        "- With the optional 2 A travel charger (VC-21): about 8 hours from empty to full.",
        "- Charge only when the battery is between 0 \u00b0C and 40 \u00b0C. Below 0 \u00b0C the charger's "
        "light flashes amber and charging does not start.",
        "- After riding in the cold, let the battery warm up at room temperature for 1 hour before charging.",
        "You do not need to run the battery empty before charging; the battery has no memory effect. The "
        "charger stops by itself when the battery is full, but do not leave it connected for days on end.",
    ]),
    ("3. The charge indicator", [
        "Press the button on the top of the battery to see the charge. Each of the five green lights stands "
        "for 20% of the charge. While charging, the next light to fill blinks slowly. When only one light "
        "shows and it blinks, less than 10% of the charge is left and the motor's assistance is reduced.",
    ]),
    ("4. Range", [
        "The distance you can ride on a full charge depends on the assistance level, the rider's weight, "
        "hills, wind, tyre pressure and the temperature. On flat roads at 20 \u00b0C with a rider of 75 kg, "
        "a new PX500 gives about:",
        "- Eco: up to 115 km",
        "- Tour: up to 85 km",
        "- Sport: up to 62 km",
        "- Turbo: up to 45 km",
        "In winter, below 5 \u00b0C, expect up to 30% less range.",
    ]),
    ("5. Storing the battery", [
        "For storage of more than 4 weeks, for example over the winter, charge the battery to between 30% "
        "and 60% (two or three lights) and store it removed from the bike, in a dry place between 10 "
        "\u00b0C and 20 \u00b0C. Check the charge every 3 months and charge it back to about 60% if it has "
        "fallen to one light. Never store the battery fully empty: a battery left empty for a long time can "
        "be damaged beyond repair and enters a protection mode (see error codes).",
    ]),
    ("6. Error codes", [
        "If the lights on the battery blink red, count the blinks:",
        "- 2 blinks: too hot. Let the battery cool down; riding continues with reduced assistance.",
        "- 3 blinks: cell imbalance. Charge the battery fully and leave it on the charger for 2 more hours.",
        "- 4 blinks: contact fault. Remove the battery, clean the contacts with a dry cloth and refit it.",
        "- 5 blinks: deep discharge protection. The battery has been stored empty; take it to a Voltrek "
        "dealer, who can try a recovery charge. Do not try to charge it with another charger.",
        "- Continuous red light: internal fault. Stop using the battery and contact a Voltrek dealer.",
    ]),
    ("7. Lifespan", [
        "The PX500 keeps at least 70% of its capacity after 800 full charge cycles. Two half charges count "
        "as one cycle. Most riders reach this after 4 to 5 years. A replacement PX500 costs \u00a3649 from "
        "Voltrek dealers. A replacement key costs \u00a312 and is ordered with the key number; without the "
        "key number the lock must be replaced, for \u00a345 including fitting.",
    ]),
    ("8. Safety", [
        "- Do not open, drill, crush or put the battery in water. Riding in rain and washing the bike with "
        "a low-pressure hose are fine; do not use a pressure washer.",
        "- A battery that has been dropped from more than 1 m, or that is swollen, cracked or smells of "
        "burning, must not be used or charged.",
        "- Remove the battery before carrying the bike on a car rack, and before any work on the bike.",
        "- The PX500 is far above the 160 Wh limit for lithium batteries and may not be taken on passenger "
        "aircraft, even in hold luggage. For shipping, contact your dealer: it must be sent as dangerous "
        "goods in its original packaging.",
    ]),
    ("9. Recycling", [
        "Never put the battery in household waste. Voltrek dealers take back PX500 batteries free of charge "
        "for recycling, whether or not you buy a new one from them.",
    ]),
    ("10. Technical data", [
        "Nominal voltage 36 V; capacity 14 Ah / 504 Wh; 40 cells of type 21700. Dimensions 368 x 92 x 74 mm. "
        "Operating temperature -10 \u00b0C to 40 \u00b0C; charging temperature 0 \u00b0C to 40 \u00b0C; "
        "storage temperature -10 \u00b0C to 50 \u00b0C for up to 1 month, 10 \u00b0C to 20 \u00b0C for "
        "longer. Water resistance IP54 when fitted to the bike.",
    ]),
]

ROOM_HIRE = [
    ("Our rooms", [
        "Holloway Green Community Centre is run by a charity, the Holloway Green Residents' Trust, and hires "
        "its rooms to local groups, clubs and residents.",
        "- Main Hall: 120 seated or 180 standing, with a stage, a sound system and 16 folding tables.",
        "- Garden Room: 30 seated, opening onto the enclosed garden; suitable for small children's groups.",
        "- Meeting Room 2: 12 around a boardroom table, with a screen and a video conference camera.",
        "- Kitchen: a commercial kitchen next to the Main Hall, with two ovens, a hob, a dishwashing sink and "
        "crockery for 100 people. It can be hired only with the Main Hall or the Garden Room.",
    ]),
    ("Hourly rates", [
        "- Main Hall: \u00a332.00 per hour on weekdays before 18:00; \u00a340.00 per hour on weekday "
        "evenings and at weekends.",
        "- Garden Room: \u00a318.00 per hour at all times.",
        "- Meeting Room 2: \u00a312.00 per hour at all times.",
        "- Kitchen: \u00a315.00 per booking, whatever its length.",
        "Hire is charged for the whole time you have the room, including the time you need to set up and to "
        "clear away, in whole hours. The minimum booking is 2 hours; private parties on Saturday or Sunday "
        "in the Main Hall have a minimum of 4 hours.",
    ]),
    ("Discounts", [
        "Regular hirers who book the same room at the same time every week for at least 10 weeks get 15% "
        "off the hourly rate. Registered charities and residents' groups of Holloway Green get 20% off "
        "instead. Only one discount applies to a booking. Discounts do not apply to the kitchen charge or "
        "to deposits.",
    ]),
    ("Deposits", [
        "A refundable damage deposit is taken for every one-off booking: \u00a3100.00 for the Main Hall and "
        "\u00a350.00 for the other rooms. It is returned by bank transfer within 14 days after your event, "
        "less any charge for damage, extra cleaning or overrunning. Regular hirers pay a single deposit of "
        "\u00a350.00, kept until their last booking.",
    ]),
    ("Times", [
        "The centre is open for hire from 08:00 to 23:00 every day except 25 December. Music must stop by "
        "22:30, all events must end by 23:00 and the building must be empty by 23:30. Children's parties "
        "must finish by 19:00. If you stay beyond your booked time you are charged \u00a325.00 for each "
        "half hour or part of one, taken from your deposit.",
    ]),
    ("Cancelling a booking", [
        "- More than 4 weeks before the date: full refund of the hire fee.",
        "- Between 2 and 4 weeks before: 50% of the hire fee is refunded.",
        "- Less than 2 weeks before: no refund.",
        "Regular hirers may cancel up to three single sessions a year without charge by giving 7 days' notice.",
    ]),
    ("Your responsibilities", [
        "The hirer must be at least 21 years old and present throughout the event. You are responsible for "
        "the behaviour of your guests and for leaving the rooms as you found them: tables and chairs "
        "stacked, floors swept and rubbish bagged and put in the outside store. If the room needs extra "
        "cleaning after your event we charge \u00a360.00. Confetti, glitter, smoke machines and candles are "
        "not allowed anywhere in the building. Decorations may be hung only from the picture rail, using the "
        "hooks provided.",
        "Alcohol may be sold only under a Temporary Event Notice from Holloway Borough Council, applied for "
        "by the hirer at least 10 working days before the event; alcohol that is served free of charge does "
        "not need one. Bouncy castles are allowed in the Main Hall only, must be no taller than 3.5 m and "
        "need proof of the supplier's public liability insurance.",
    ]),
    ("Access and parking", [
        "Hirers receive a four-digit key safe code by text message on the day before the booking; the code "
        "changes every Monday. The car park has 14 spaces, two of them for blue badge holders, and is shared "
        "with the nursery on weekdays until 18:00. The building is step-free, with an accessible toilet and "
        "a hearing loop in the Main Hall.",
    ]),
    ("How to book", [
        "Check availability and book on the centre's website or call the bookings officer, Maureen Adebayo, "
        "on 01296 884 150 (Monday to Thursday, 09:30 to 14:30). A booking is confirmed when the deposit has "
        "been paid; the hire fee is due 14 days before the date.",
    ]),
]


def main() -> None:
    pdf(DOCS / "voltrek-px500-battery-manual.pdf", "Voltrek PX500 Battery",
        "Owner's manual: charging, range, storage, error codes and safety (edition 2)", BATTERY)
    pdf(DOCS / "holloway-green-room-hire.pdf", "Room Hire at Holloway Green",
        "Holloway Green Community Centre: rooms, rates, deposits and conditions of hire (from January 2028)",
        ROOM_HIRE)
    print(f"wrote 2 PDFs to {DOCS}")


if __name__ == "__main__":
    main()
