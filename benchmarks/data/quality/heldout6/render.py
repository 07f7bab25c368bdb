"""Render the heldout6 set's two PDF documents (docs/). Committed; re-run to rebuild:

    .venv/bin/pip install reportlab     # generation only
    .venv/bin/python benchmarks/data/quality/heldout6/render.py

The other four documents (markdown, plain text, HTML) are written by hand. The PDFs are text PDFs
made with reportlab's invariant mode, so the same reportlab version writes the same bytes.
The heat pump, its maker, the festival and their prices are fictional.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from render_common import pdf  # noqa: E402

DOCS = HERE / "docs"

HEAT_PUMP = [
    ("1. Your heat pump", [
        "The Thermavale AW9 is an air-to-water heat pump for central heating and hot water. It has an outdoor "
        "unit, which takes heat from the outside air, and the TC-3 controller, which is mounted indoors. The "
        "AW9 comes in two sizes:",
        "- AW9-08: 8 kW heat output, seasonal efficiency (SCOP) 4.6, sound power 58 dB(A), minimum water flow "
        "12 litres per minute.",
        "- AW9-12: 12 kW heat output, seasonal efficiency (SCOP) 4.4, sound power 61 dB(A), minimum water "
        "flow 17 litres per minute.",
        "Both sizes use the natural refrigerant R290 (propane) in a sealed circuit that needs no topping up. "
        "The highest water temperature they deliver is 70 \u00b0C, or 65 \u00b0C when it is colder than "
        "-10 \u00b0C outside.",
    ]),
    ("2. Using the TC-3 controller", [
        "The home screen shows the room temperature, the hot water temperature and the mode. Choose a mode "
        "with the Mode button:",
        "- Comfort: keeps the rooms at the comfort temperature, 21 \u00b0C unless you change it.",
        "- Eco: keeps the rooms at the eco temperature, 18 \u00b0C unless you change it.",
        "- Away: heating off, but the rooms are kept at 10 \u00b0C to protect against frost.",
        "- Holiday: as Away, and hot water is switched off until the return date you set.",
        "Room temperatures can be set from 5 \u00b0C to 30 \u00b0C. A weekly schedule can switch between "
        "Comfort and Eco up to 6 times a day. The controller keeps its settings and clock for 72 hours "
        "during a power cut.",
    ]),
    ("3. Hot water", [
        "The heat pump heats the hot water cylinder to 50 \u00b0C as standard; you can choose any temperature "
        "from 40 \u00b0C to 60 \u00b0C. For a quick top-up, hold the tap symbol for 3 seconds: the pump "
        "heats the cylinder once to the set temperature, even outside the hot water schedule.",
        "To protect against legionella bacteria, the controller runs a weekly disinfection cycle every "
        "Sunday at 02:00. The 3 kW immersion heater in the cylinder raises the water to 60 \u00b0C and "
        "runs for 45 minutes. Do not switch this cycle off unless your installer advises it.",
    ]),
    ("4. Defrosting and what you may notice", [
        "In cold, damp weather ice forms on the outdoor unit. The heat pump melts it automatically: a defrost "
        "takes 2 to 8 minutes, and in freezing fog it may happen as often as every 40 minutes. Clouds of "
        "steam and water dripping from the unit during a defrost are normal.",
    ]),
    ("5. Error codes", [
        "When the controller shows a code, note it down before doing anything else. Codes starting with E "
        "stop the heat pump; codes starting with H or P are warnings and the heat pump keeps running.",
        "- E01 Low water pressure: the system pressure is below 0.8 bar. Top it up to 1.5 bar, with the system "
        "cold, using the filling loop under the cylinder.",
        "- E03 Flow temperature sensor fault: call your installer.",
        "- E05 Low flow rate: water is moving through the heat pump too slowly. Check that the valves under "
        "the outdoor unit are open and clean the magnetic filter.",
        "- E07 Lost connection between the controller and the outdoor unit: check the controller cable, then "
        "reset the heat pump.",
        "- E12 High pressure cut-out: check that the radiator valves are open, then reset once. If E12 comes "
        "back, call your installer.",
        "- E15 Outdoor fan blocked: clear snow, leaves or anything else from the fan grille.",
        "- E21 Defrost failure: clear the ice carefully with lukewarm water, never a sharp tool, then reset.",
        "- H02 Slow hot water: the cylinder took longer than 3 hours to reach its set temperature.",
        "- P04 Frost protection running: the water is colder than 4 \u00b0C and the pump is circulating it.",
        "To reset the heat pump, switch it off at the outdoor isolator switch, wait 2 minutes, and switch it "
        "on again. If the same code comes back 3 times within 24 hours, do not keep resetting: call your "
        "installer or Thermavale support.",
    ]),
    ("6. Care and servicing", [
        "Keep 30 cm clear on each side of the outdoor unit and 1 m clear in front of it. Check the pressure "
        "gauge every month: it should read between 1.0 and 2.0 bar when the system is cold.",
        "The compressor is guaranteed for 7 years and all other parts for 3 years from installation, provided "
        "the heat pump is registered within 30 days of installation and serviced every year by a "
        "Thermavale-approved installer, no more than 13 months after the previous service. If a service is "
        "missed, the guarantee ends; it cannot be restored by a later service.",
    ]),
    ("7. Running costs", [
        "How much electricity a heat pump uses depends on the house, its insulation and how you use it. As a "
        "guide, an AW9-08 heating a typical three-bedroom house and its hot water uses about 3,400 kWh of "
        "electricity a year, and an AW9-12 in a typical four-bedroom house about 4,900 kWh.",
    ]),
    ("8. Contact", [
        "Thermavale support: 0345 300 7126, Monday to Friday 8:00 to 18:00 and Saturday 9:00 to 13:00. Have "
        "the serial number ready; it is on the label on the right-hand side of the outdoor unit and starts "
        "with TV9.",
    ]),
]

FESTIVAL = [
    ("Dates and tickets", [
        "Brackenfold Festival 2028 takes place at Brackenfold Park from Thursday 17 to Sunday 20 August. "
        "Tickets are sold only through brackenfoldfestival.co.uk and its official resale exchange.",
        "- Weekend ticket with camping (Thursday to Monday): \u00a3219",
        "- Weekend ticket without camping (Friday to Sunday): \u00a3189",
        "- Youth weekend ticket with camping, ages 13 to 17: \u00a3139",
        "- Day tickets: Friday \u00a379, Saturday \u00a389, Sunday \u00a384",
        "- Children aged 12 and under: free, with up to 2 children per paying adult",
        "A booking fee of \u00a36.50 is added to each ticket; there is no booking fee on free children's "
        "tickets or on car park passes. Weekend tickets can be bought with a payment plan: a \u00a350 deposit, "
        "then the rest in 3 monthly instalments, which must be completed by 1 June. If an instalment is "
        "missed, the ticket is cancelled and the deposit is not returned.",
    ]),
    ("Opening times", [
        "- Campsite opens: Thursday 12:00. Campsite closes: Monday 12:00.",
        "- Arena opens: Friday 11:00, and 11:00 on Saturday and Sunday.",
        "- Arena closes: 23:30 on Friday and Saturday, 22:30 on Sunday. Last entry to the arena is 21:00.",
        "An Early Entry add-on (\u00a330 per person) lets campers arrive on Wednesday from 16:00. It must be "
        "bought with the ticket and cannot be added at the gate.",
    ]),
    ("Wristbands and names", [
        "Every ticket is exchanged for a wristband at the box office. Wear it at all times until you leave; "
        "a wristband that has been cut or removed is no longer valid. A lost or damaged wristband is replaced "
        "once, for \u00a340, on showing photo ID and the booking reference. Each ticket carries the name of the "
        "person using it. Names can be changed in your account for \u00a312 per change, until 31 July.",
    ]),
    ("Ages", [
        "Children aged 15 and under must be with an adult aged 18 or over at all times. Young people aged 16 "
        "and 17 may attend without an adult, provided they bring a consent form signed by a parent or "
        "guardian; the form is in your account. Everyone aged 13 and over must carry photo ID.",
    ]),
    ("Camping", [
        "Camping is included in weekend camping tickets. Choose from General Camping, Quiet Camping (no amplified "
        "music after 23:00, ages 18 and over only) and Family Camping (for groups with at least one child "
        "aged 12 or under).",
        "- Campervan pass: \u00a365 per vehicle for the weekend, for vehicles up to 7.5 m long. No electric "
        "hook-ups. Caravans are not allowed.",
        "- Pre-pitched bell tent: \u00a3340 for 2 people, \u00a3520 for 4 people.",
        "- Gazebos no larger than 3 m by 3 m, and no tents larger than 8 people.",
        "Open fires, disposable barbecues and charcoal barbecues are not allowed anywhere on site. Small gas "
        "camping stoves may be used in the campsites, but not in tents or in the car parks.",
    ]),
    ("Getting here", [
        "A car park pass costs \u00a320 per car for the whole weekend if bought in advance, or \u00a330 on the "
        "day if spaces remain. A shuttle bus runs from Hallam Cross station to the main gate every 20 minutes "
        "from Thursday 10:00, \u00a38 return. Bike racks by the main gate are free.",
    ]),
    ("What you cannot bring", [
        "Glass of any kind, fireworks and flares, drones, laser pens, nitrous oxide, and flags or poles "
        "longer than 2 m are not allowed. Each adult camper may bring up to 24 cans of beer or cider, or up to "
        "4 litres of wine in cartons or plastic bottles, for use in the campsite only. No drinks brought from "
        "home may be taken into the arena, except sealed water bottles of up to 1 litre.",
    ]),
    ("Refunds and resale", [
        "Tickets are not refundable unless the festival is cancelled, in which case the ticket price is "
        "refunded but the booking fee is not. You may resell a ticket through the official Brackenfold "
        "Exchange between 1 May and 10 August, at the price you paid; a 10% resale fee is taken from what you "
        "receive. Tickets sold anywhere else may be cancelled without warning.",
    ]),
    ("Access", [
        "Access Camping, close to the accessible toilets and with a charging point for medical equipment, is "
        "available on request. A free carer ticket is available for anyone who needs a carer to attend, with "
        "proof of need; apply through your account by 15 July.",
    ]),
]


def main() -> None:
    pdf(DOCS / "thermavale-aw9-heat-pump-guide.pdf", "Thermavale AW9 Heat Pump",
        "User guide for the AW9-08 and AW9-12 with the TC-3 controller: modes, hot water, error codes, "
        "servicing (issue 3)", HEAT_PUMP)
    pdf(DOCS / "brackenfold-festival-ticket-terms.pdf", "Brackenfold Festival 2028",
        "Ticket, camping and site terms (Brackenfold Park, 17 to 20 August 2028)", FESTIVAL)
    print(f"wrote 2 PDFs to {DOCS}")


if __name__ == "__main__":
    main()
