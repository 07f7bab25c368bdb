"""Render the heldout8 set's two PDF documents (docs/). Committed; re-run to rebuild:

    .venv/bin/pip install reportlab     # generation only
    .venv/bin/python benchmarks/data/quality/heldout8/render.py

The other four documents (markdown, plain text, HTML) are written by hand. The PDFs are text PDFs
made with reportlab's invariant mode, so the same reportlab version writes the same bytes.
The inverter, its maker, the holiday camps, their school and all prices are fictional.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from render_common import pdf  # noqa: E402

DOCS = HERE / "docs"

INVERTER = [
    ("1. About your system", [
        "The Sunvale HX5 is a hybrid inverter: it converts the power from your solar panels for your home, "
        "charges and discharges the HB-10 battery, and exports any surplus to the grid. Only a qualified "
        "installer may open the inverter or the battery.",
        "- Rated AC output: 5,000 W. Largest solar (PV) array: 6,500 W.",
        "- Two MPPT trackers, one string each. Operating voltage range 120 to 550 V; start-up voltage 100 V; "
        "maximum DC input voltage 600 V.",
        "- HB-10 battery: nominal capacity 10.2 kWh, usable capacity 9.6 kWh. Maximum charge and discharge power "
        "4,600 W.",
        "- Emergency power (EPS) socket: up to 3,680 W, switching over in less than 20 ms.",
        "- Operating temperature: inverter -25 to 60 \u00b0C, with output reduced above 45 \u00b0C. Battery: "
        "charging 0 to 45 \u00b0C, discharging -10 to 50 \u00b0C.",
        "- Warranty: inverter 10 years. Battery 10 years or 6,000 full cycles, whichever comes first, with at "
        "least 70% of the nominal capacity left at the end of the warranty.",
    ]),
    ("2. The status light", [
        "- Green, steady: working normally.",
        "- Green, flashing: waiting for enough sunlight, or starting up.",
        "- Blue, flashing: supplying the EPS socket from the battery during a power cut.",
        "- Amber: a warning (a code starting with W). The system keeps running.",
        "- Red: a fault (a code starting with F). The inverter stops exporting and tries to restart by itself.",
    ]),
    ("3. Operating modes", [
        "Choose the mode in the Sunvale Link app.",
        "- Self-use (the factory setting): solar power goes first to the house, then into the battery, and only "
        "then to the grid.",
        "- Time-of-use: the battery charges from the grid during a cheap-rate window that you set (00:30 to 04:30 "
        "unless you change it) and powers the house at other times.",
        "- Backup: the battery keeps a reserve for power cuts (30% unless you change it; you can choose from 20% to "
        "80%) and goes below it only during a power cut.",
        "In every mode the battery stops discharging at its minimum state of charge, set to 10% at the factory. "
        "Never set it below 5%: a battery that runs completely flat can be damaged.",
    ]),
    ("4. Power cuts", [
        "When the grid fails, the inverter disconnects from the grid within 0.5 seconds and "
        "the EPS socket changes over to battery power. Only appliances plugged into the EPS socket are powered, up "
        "to 3,680 W in all; the rest of the house stays off until the grid returns. Once the grid has been stable "
        "for 60 seconds, the inverter reconnects automatically.",
    ]),
    ("5. The app and monitoring", [
        "The Wi-Fi dongle plugs into the COM port under the inverter "
        "and works on 2.4 GHz networks only: it cannot join a 5 GHz network. It sends data every 5 minutes.",
    ]),
    ("6. Switching off and on safely", [
        "To switch the system off, turn off in this order: 1. the AC isolator (grid side); 2. the breaker on the "
        "HB-10 battery; 3. the DC isolator (solar side). Then wait at least 5 minutes before touching any cable, "
        "because capacitors inside the inverter stay charged.",
        "To switch on again, work in the reverse order: the DC isolator, then the battery breaker, then the AC "
        "isolator.",
    ]),
    ("7. Care", [
        "- Every 6 months, check that the vents are free of dust and cobwebs. Keep 300 mm clear above and below "
        "the inverter and 200 mm at each side.",
        "- Do not leave the battery at 0% for more than 7 days.",
        "- If the system will be switched off for more than 3 months, charge the battery to 50% first, and "
        "recharge it to 50% every 6 months.",
    ]),
    ("8. Fault and warning codes", [
        "- F01 Grid overvoltage: the grid voltage has been above 253 V for more than 10 minutes. The inverter "
        "reconnects when the voltage is normal again.",
        "- F02 Grid undervoltage: the grid voltage is below 207 V.",
        "- F03 Grid frequency out of range (below 47.5 Hz or above 52 Hz).",
        "- F04 Grid lost: a power cut. The EPS socket takes over if it is enabled.",
        "- F10 Insulation fault on the solar side: resistance below 50 k\u03a9. This is common on damp mornings and "
        "usually clears by itself; if it is still shown at midday, call your installer.",
        "- F11 Solar input overvoltage: a string is above 600 V. Turn off the DC isolator at once and call your "
        "installer.",
        "- F20 Inverter over-temperature: the internal temperature is above 85 \u00b0C. Check the clearances "
        "around the inverter and that the vents are not blocked; it restarts when it has cooled to 70 \u00b0C.",
        "- F30 Battery communication lost: check that the cable between the CAN port of the inverter and the "
        "battery is plugged in firmly.",
        "- F31 Battery over-temperature: the battery is above 50 \u00b0C and has stopped.",
        "- F40 Residual current fault: leakage current above 300 mA. Do not touch the system; call your installer.",
        "- W01 CT clamp reversed: the house consumption reads negative. Your installer must turn the clamp round.",
        "- W12 Battery too cold to charge: below 0 \u00b0C. Charging starts again by itself at 5 \u00b0C.",
        "- W20 Output reduced because of heat: the inverter is above 45 \u00b0C.",
    ]),
]

CAMPS = [
    ("About the camps", [
        "Foxglove runs two day camps at Ashcombe Primary School, Orchard Lane, Whitbury, in the school summer "
        "holidays. Multi-Activity Camp is for children aged 5 to 11 (from Reception class upwards) and offers "
        "games, crafts, swimming, drama and forest school. Sports Academy is for ages 8 to 14, with football, "
        "netball, tennis, cricket, athletics and swimming. Both camps are registered with Ofsted.",
    ]),
    ("Dates", [
        "- Week 1: Monday 26 July to Friday 30 July",
        "- Week 2: Monday 2 August to Friday 6 August",
        "- Week 3: Monday 9 August to Friday 13 August",
        "- Week 4: Monday 16 August to Friday 20 August",
        "- Week 5: Monday 23 August to Friday 27 August",
        "- Week 6: Tuesday 31 August to Friday 3 September (4 days; closed on Monday 30 August, a bank holiday)",
    ]),
    ("Times", [
        "- Core day: 09:00 to 15:30.",
        "- Early drop-off: from 08:00, \u00a36 a day, with breakfast (cereal, toast and fruit).",
        "- Late club: until 17:45, \u00a38 a day, with a snack.",
        "- Collection after 17:45 is charged at \u00a310 for every 10 minutes, or part of 10 minutes.",
    ]),
    ("Prices", [
        "- Multi-Activity Camp: \u00a338 a day, \u00a3170 for a 5-day week, \u00a3140 for week 6.",
        "- Sports Academy: \u00a342 a day, \u00a3190 for a 5-day week, \u00a3158 for week 6.",
        "- Brothers and sisters: 10% off the core price for the second and each further child booked in the same "
        "week. The discount does not apply to early drop-off, late club or lunches.",
        "- Early booking: \u00a315 off each full week booked and paid by 31 May 2027.",
        "We accept Tax-Free Childcare and childcare vouchers. Children who receive benefits-related free school "
        "meals can have up to 4 funded days a week through the Holiday Activities and Food programme: book with "
        "the code your child's school gives you.",
    ]),
    ("Food", [
        "Bring a packed lunch and a named water bottle, or order a hot lunch for \u00a34.20 a day by the Thursday "
        "before the week. Ashcombe is a nut-free site: please send no nuts, peanut butter or chocolate spread.",
    ]),
    ("Swimming", [
        "Multi-Activity children swim in the school's indoor pool on Tuesdays and Thursdays; Sports Academy swims "
        "on Wednesdays. Bring swimwear and a towel on those days. Every child does a short swimming check on the "
        "first session: non-swimmers wear a red wristband and stay in the shallow end, which is 0.9 m deep.",
    ]),
    ("Staff and safety", [
        "We have at least 1 member of staff for every 8 children aged 5 to 7, and 1 for every 12 children aged 8 "
        "and over. All staff hold an enhanced DBS check, and at least 2 qualified first aiders are on site all day. "
        "Please put sun cream on your child before they arrive and send a hat; staff remind children to top up "
        "after lunch.",
    ]),
    ("Collection", [
        "Children are handed over only to adults aged 16 or over who are named on the booking form. If someone "
        "else is collecting, tell us by 14:00 that day and give them your collection password. Children aged 11 "
        "and over may walk home alone if a parent has given written permission.",
    ]),
    ("Phones, valuables and lost property", [
        "Children aged 10 and over may bring a mobile phone; it is handed in at registration and given back at "
        "home time. We cannot be responsible for other valuables, so please leave them at home. Lost property is "
        "kept until 30 September and then given to charity.",
    ]),
    ("Medicines and allergies", [
        "Tell us about allergies and medical needs on the booking form. A child who carries an adrenaline "
        "auto-injector must bring two, in a bag labelled with their name. Inhalers are kept by the child's group "
        "leader and go with the group to every activity. Staff can give medicine only with a signed consent form.",
    ]),
    ("Changes and cancellations", [
        "- Swapping days or weeks is free up to 7 days before the first booked day, if there is space; after that "
        "each change costs \u00a35.",
        "- Cancelling more than 28 days before the first booked day: a full refund, less an administration fee of "
        "\u00a310 per booking.",
        "- Cancelling between 14 and 28 days before: a 50% refund.",
        "- Cancelling less than 14 days before: no refund. If your child is ill and you send a medical note, you "
        "get a credit for the days missed, valid until the end of the next school holiday.",
        "- If we have to cancel a camp day, you get a full refund for it.",
        "Children whose behaviour repeatedly puts others at risk may be sent home, and days missed for this reason "
        "are not refunded.",
    ]),
]


def main() -> None:
    pdf(DOCS / "sunvale-hx5-inverter-manual.pdf", "Sunvale HX5 Hybrid Inverter and HB-10 Battery",
        "Owner's manual: operation, settings, care and fault codes (firmware 3.1)", INVERTER)
    pdf(DOCS / "foxglove-holiday-camps-summer-2027.pdf", "Foxglove Holiday Camps",
        "Summer 2027 at Ashcombe Primary School: dates, times, prices and booking terms", CAMPS)
    print(f"wrote 2 PDFs to {DOCS}")


if __name__ == "__main__":
    main()
