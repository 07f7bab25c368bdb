"""Render the heldout9 set's two PDF documents (docs/). Committed; re-run to rebuild:

    .venv/bin/pip install reportlab     # generation only
    .venv/bin/python benchmarks/data/quality/heldout9/render.py

The other four documents (markdown, plain text, HTML) are written by hand. The PDFs are text PDFs
made with reportlab's invariant mode, so the same reportlab version writes the same bytes.
The ventilation unit, its maker, the golf club and all prices are fictional.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from render_common import pdf  # noqa: E402

DOCS = HERE / "docs"

VENTILATION = [
    ("1. What the unit does", [
        "The Airvane HR-350 is a mechanical ventilation with heat recovery (MVHR) unit. It extracts damp air "
        "from the kitchen and bathrooms and supplies filtered outdoor air to the living rooms and bedrooms. "
        "In the counterflow heat exchanger the outgoing air warms the incoming air "
        "without the two air streams mixing. The unit runs all day and night and should never be switched off "
        "at the isolator except for maintenance.",
    ]),
    ("2. Technical data", [
        "- Maximum airflow: 350 m\u00b3/h at 100 Pa.",
        "- Heat recovery efficiency: up to 91%.",
        "- Power use: 9 W at the lowest fan speed, up to 148 W at full speed. Built-in frost pre-heater: 900 W.",
        "- Filters: ISO Coarse 60% (G4) on the extract side; ISO ePM1 55% (F7) on the supply side.",
        "- Sound: 24 dB(A) at speed 2, measured 3 m from the unit.",
        "- Supply: 230 V, 50 Hz, from a fused spur with a 3 A fuse, or 13 A when the pre-heater is fitted.",
        "- Weight: 38 kg.",
    ]),
    ("3. Fan speeds and modes", [
        "- Speed 1 (trickle): 30% of the maximum airflow, for when the house is empty.",
        "- Speed 2 (normal): 55%, the setting for everyday living.",
        "- Speed 3 (boost): 85%, for cooking, showers and parties. Boost runs for 30 minutes and then returns to "
        "the previous speed; you can set the boost time from 15 to 60 minutes.",
        "- Purge: 100% for 2 hours, to clear smells or paint fumes quickly.",
        "- Away mode: speed 1 for up to 28 days, with the filter and frost protection still active.",
        "- Night mode: between 23:00 and 06:00 the unit never runs faster than speed 2 unless you press boost.",
        "The humidity sensor starts boost by itself when the relative humidity of the extract air goes above 70%, "
        "and stops it when it falls below 65%.",
    ]),
    ("4. Summer bypass and frost protection", [
        "On warm nights the summer bypass lets outdoor air in without passing through the heat exchanger. It "
        "opens when the indoor temperature is above 24 \u00b0C and the outdoor air is between 12 \u00b0C and "
        "22 \u00b0C.",
        "Frost protection stops ice forming in the heat exchanger. When the outdoor air is below -3 \u00b0C, the "
        "supply fan slows down. If the pre-heater is fitted, it switches on below -5 \u00b0C. Without a "
        "pre-heater, the unit stops the supply fan for 30 minutes at a time while the outdoor air is below "
        "-12 \u00b0C.",
    ]),
    ("5. Filters", [
        "Check the filters every 3 months and change them every 6 months, or sooner near a busy road or building "
        "site. The display shows FILT 180 days after the last filter reset. Replacement filter set AVF-350 "
        "(one of each kind) costs \u00a334 from Airvane or your installer.",
        "- Switch off at the isolator and wait 2 minutes for the fans to stop.",
        "- Pull out both filter drawers on the front of the unit.",
        "- The G4 filter may be vacuumed once between changes. Never wash or vacuum the F7 filter; replace it.",
        "- Slide the new filters in with the arrows pointing towards the unit, close the drawers and switch on.",
        "- Hold the Mode button for 5 seconds to reset the filter timer.",
    ]),
    ("6. Yearly and two-yearly care", [
        "Once a year, pour half a litre of clean water into the condensate tray to check that it drains away "
        "freely and that the trap is full. Every 2 years, take out the heat exchanger, wash it in warm water no "
        "hotter than 40 \u00b0C with a little washing-up liquid, and let it dry for at least 24 hours before "
        "putting it back.",
    ]),
    ("7. Fault codes", [
        "- E1: supply air temperature sensor fault. The unit keeps running at speed 2 without bypass.",
        "- E2: extract air temperature sensor fault. As for E1.",
        "- E3: outdoor air temperature sensor fault. Frost protection runs all the time; call your installer.",
        "- E4: supply fan fault (the fan turns at less than 300 rpm). The unit stops. Check that the supply filter "
        "drawer is closed, then switch off for 1 minute and on again.",
        "- E5: extract fan fault. As for E4, for the extract side.",
        "- E6: frost stop. The outdoor air is below -15 \u00b0C; the unit stops and restarts by itself after "
        "60 minutes.",
        "- E7: condensate alarm. Water has risen in the condensate tray and the unit stops. Check that the "
        "drain pipe is not blocked or frozen; the unit restarts when the water has drained.",
        "- E8: bypass damper fault. The damper did not move within 90 seconds. The unit keeps running with "
        "the bypass closed.",
        "- H1: high humidity. The extract air has been above 85% relative humidity for more than 2 hours; check "
        "for drying laundry or a leak.",
        "- FILT: filter change due (not a fault). See section 5.",
    ]),
    ("8. Warranty", [
        "The unit is guaranteed for 2 years from installation. The guarantee is extended to 5 years if the unit "
        "was registered within 30 days of installation and the filters were changed with genuine Airvane "
        "filters. The heat exchanger itself is guaranteed for 10 years. The guarantee does "
        "not cover damage caused by running the unit without filters.",
    ]),
]

GOLF = [
    ("Welcome", [
        "Kestrel Downs Golf Club welcomes visitors seven days a week. The club has two courses: the Downs "
        "Course, 18 holes on open chalk downland, and the Heath Course, 9 shorter holes that suit beginners, "
        "juniors and anyone short of time.",
        "- Downs Course: par 71, 6,342 yards from the white tees, 5,980 from the yellow tees and 5,512 from "
        "the red tees.",
        "- Heath Course: 9 holes, par 33, 2,260 yards.",
    ]),
    ("Green fees for 2028", [
        "- Downs Course, Monday to Thursday: \u00a355. Friday: \u00a362. Saturday, Sunday and bank holidays: "
        "\u00a375, for tee times after 11:00 only.",
        "- Twilight on the Downs Course: \u00a332 on weekdays and \u00a340 at weekends. Twilight starts at 15:00 "
        "from April to September and at 12:30 from October to March.",
        "- Heath Course: \u00a318 for 9 holes, or \u00a328 to go round twice.",
        "- Juniors under 18 pay half the adult green fee on both courses.",
        "- Visitors playing with a member: \u00a330 on the Downs Course on any day.",
        "- Groups of 12 or more: the society day costs \u00a379 a person (coffee and a bacon roll, 18 holes on the "
        "Downs Course and a two-course dinner) or \u00a392 a person with 27 holes (an extra 9 on the Heath "
        "Course).",
    ]),
    ("Booking and handicaps", [
        "Book tee times online or through the pro shop up to 28 days ahead. Tee times are 8 minutes apart. On "
        "Saturdays the Downs Course is for members only before 11:00. Please check in at the pro shop at least "
        "20 minutes before your tee time.",
        "Visitors on the Downs Course must hold an official handicap index of 36 or lower and may be asked to "
        "show it. There is no handicap requirement on the Heath Course.",
    ]),
    ("Buggies and trolleys", [
        "- Buggies: \u00a330 for 18 holes and \u00a318 for 9 holes. The driver must be 18 or over and hold a full "
        "driving licence. Buggies are not allowed when the course is marked \u201cpaths only\u201d or closed to "
        "buggies after heavy rain; a buggy booked for a day when buggies are banned is refunded.",
        "- Pull trolleys \u00a35, electric trolleys \u00a312 a round. Trolleys must not go between the bunkers "
        "and the greens, and are banned on the Heath Course from December to February.",
    ]),
    ("Dress code", [
        "Collared shirts or golf polo shirts, and tailored trousers or tailored shorts. No denim, tracksuits or "
        "football shirts anywhere on the course or in the clubhouse. Soft spikes only; metal spikes are not "
        "allowed. Caps are removed in the clubhouse lounge and restaurant.",
    ]),
    ("Pace of play", [
        "A round on the Downs Course should take no more than 4 hours 10 minutes, and 9 holes on the Heath "
        "Course 1 hour 45 minutes. A group that falls a clear hole behind the group in front must let the group "
        "behind play through. The course marshal may ask slow groups to miss a hole.",
    ]),
    ("Local rules", [
        "- The road beside the 7th hole is out of bounds. If your ball crosses it, play again from the tee.",
        "- Hole 14: a ball in the pond may be dropped in the dropping zone in front of the green, with a "
        "one-stroke penalty.",
        "- Preferred lies from 1 November to 31 March: on the fairway you may lift, clean and place your ball "
        "within one scorecard length, no nearer the hole.",
        "- The young trees staked on holes 3 and 11 must not be played from: take free relief.",
    ]),
    ("Practice and lessons", [
        "The driving range opens at 07:30 and closes at dusk. Balls come from the token machine: 40 balls "
        "\u00a34, 100 balls \u00a38.50. The practice putting green and chipping area are free for anyone with a "
        "green fee that day.",
        "Our PGA professional gives lessons: 30 minutes \u00a335, 60 minutes \u00a365, or a block of five "
        "30-minute lessons for \u00a3150. Club hire: \u00a325 for a full set.",
    ]),
    ("Cancellations and bad weather", [
        "- Green fees paid online are refunded in full if you cancel more than 48 hours before your tee time; "
        "if you cancel later, you get a credit note for half the fee, valid for 6 months.",
        "- If the course closes because of weather before you have finished 9 holes, you receive a rain check "
        "for a full round. After 9 holes or more there is no refund.",
        "- Lightning: when the siren sounds one long blast, leave the course at once; three short blasts mean "
        "play may start again.",
    ]),
    ("The clubhouse", [
        "The bar and restaurant are open from 08:00 to 21:00, with food served until 19:30. Changing rooms with "
        "showers and lockers are downstairs; lockers take a \u00a31 coin, which is returned. Dogs are not allowed "
        "on the course or in the clubhouse, except assistance dogs.",
    ]),
]


def main() -> None:
    pdf(DOCS / "airvane-hr350-ventilation-guide.pdf", "Airvane HR-350 Heat Recovery Ventilation Unit",
        "User guide: operation, settings, maintenance and fault codes (control software 2.4)", VENTILATION)
    pdf(DOCS / "kestrel-downs-golf-visitors-2028.pdf", "Kestrel Downs Golf Club",
        "Visitor information 2028: green fees, booking, course rules and facilities", GOLF)
    print(f"wrote 2 PDFs to {DOCS}")


if __name__ == "__main__":
    main()
