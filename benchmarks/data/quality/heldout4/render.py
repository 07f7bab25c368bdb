"""Render the heldout4 set's two PDF documents (docs/). Committed; re-run to rebuild:

    .venv/bin/pip install reportlab     # generation only
    .venv/bin/python benchmarks/data/quality/heldout4/render.py

The other four documents (markdown, plain text, HTML) are written by hand. The PDFs are text PDFs
made with reportlab's invariant mode, so the same reportlab version writes the same bytes.
The dental practice, its prices, the thermostat and its maker are fictional.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from render_common import pdf  # noqa: E402

DOCS = HERE / "docs"

DENTAL = [
    ("About this leaflet", [
        "This leaflet lists the fees at Millbeck Dental Practice from 1 April 2027 for NHS patients and for "
        "private patients, and explains how and when we ask you to pay. Please ask at reception if anything "
        "is unclear before your treatment starts: we will always give you a written plan and estimate for "
        "any course of treatment that costs more than the Band 1 charge.",
    ]),
    ("NHS charges", [
        "NHS treatment is charged in three bands. You pay one charge for each course of treatment, however "
        "many visits it takes.",
        "- Band 1: \u00a326.80. An examination, diagnosis and advice, X-rays, a scale and polish if you need "
        "it, and planning further treatment.",
        "- Band 2: \u00a373.50. Everything in Band 1, plus fillings, root canal treatment and removing teeth.",
        "- Band 3: \u00a3319.10. Everything in Bands 1 and 2, plus crowns, dentures and bridges.",
        "- Urgent treatment: \u00a326.80, for care to relieve pain or to stop a problem getting worse.",
        "NHS treatment is free for children under 18, for young people under 19 in full-time education, "
        "for pregnant women and for women who have had a baby in the last 12 months, and for people who "
        "receive certain benefits. You must show proof of your exemption; if you claim free treatment "
        "wrongly you may be fined up to \u00a3100 on top of the charge.",
    ]),
    ("Private fees", [
        "- New patient examination (45 minutes, including X-rays): \u00a385.00",
        "- Routine examination for existing patients: \u00a352.00",
        "- Hygienist appointment, 30 minutes: \u00a365.00; 45 minutes: \u00a390.00",
        "- Emergency appointment: \u00a370.00, plus the cost of any treatment",
        "- White filling: from \u00a3120.00 (one surface) to \u00a3210.00 (three or more surfaces)",
        "- Root canal treatment: \u00a3340.00 (front tooth), \u00a3420.00 (premolar), \u00a3560.00 (molar)",
        "- Porcelain crown: \u00a3625.00",
        "- Tooth extraction: \u00a3140.00; a surgical extraction: \u00a3260.00",
        "- Home tooth whitening with custom trays: \u00a3325.00",
        "- Sports mouthguard: \u00a395.00",
    ]),
    ("Millbeck Smile Plan", [
        "Our dental plan spreads the cost of private care over the year. The Essential plan costs "
        "\u00a316.50 a month and includes two routine examinations and two 30-minute hygienist appointments "
        "a year, any X-rays needed and 10% off other private treatment. The Complete plan costs "
        "\u00a323.50 a month and includes two examinations and four hygienist appointments a year, plus "
        "15% off other private treatment. Children of plan members can join the Child plan for "
        "\u00a37.00 a month. Plans are paid by direct debit and can be cancelled at any time with one "
        "month's notice. Emergency appointments are included in both adult plans up to twice a year.",
    ]),
    ("Paying for treatment", [
        "NHS charges for Band 1 and urgent treatment are paid on the day. For Band 2 and Band 3, and for "
        "private treatment above \u00a3300.00, we ask for half of the cost when the course of treatment "
        "begins and the rest at the last appointment. We accept cards and cash; we do not accept cheques.",
        "Private treatment costing \u00a31,000.00 or more can be paid in monthly instalments over 6 or "
        "12 months with 0% interest, subject to approval by our finance partner.",
    ]),
    ("Missed and late-cancelled appointments", [
        "Please give us at least 24 hours' notice if you cannot come to an appointment. For a private "
        "appointment missed or cancelled with less notice we charge \u00a330.00, or \u00a345.00 for a "
        "hygienist appointment of 45 minutes. NHS patients who miss two appointments in a row may be "
        "asked to find another practice for their next course of treatment.",
    ]),
    ("Opening times", [
        "Monday, Tuesday and Thursday 08:00 to 18:00; Wednesday 08:00 to 20:00; Friday 08:00 to 16:30. "
        "The practice is closed at weekends and on bank holidays. On Saturdays we run an emergency clinic "
        "for registered patients from 09:00 to 12:00; call from 08:30 for a place. When the practice is "
        "closed, call NHS 111 for urgent dental care.",
    ]),
    ("Our team", [
        "Dr Anjali Rao (principal dentist), Dr Tomas Keane and Dr Helen Ward (dentists), Grace Oyelaran "
        "and Luke Penrose (dental hygienists), and our practice manager, Sarah Lindqvist, who handles "
        "questions about fees and complaints.",
    ]),
    ("Contact", [
        "Millbeck Dental Practice, 7 Weavers Row, Millbeck MB6 3JL. Telephone 01482 663 090. "
        "Email reception@millbeckdental.example. Free parking for 4 cars behind the practice, with one "
        "space for blue badge holders. Step-free access to all treatment rooms on the ground floor.",
    ]),
]

THERMOSTAT = [
    ("1. What is in the box", [
        "- The Lumio T4 thermostat (display unit), with its wall plate.",
        "- The Lumio Hub, which connects to your boiler and to your home Wi-Fi router.",
        "- A table stand and a USB-C power cable, for using the thermostat on a shelf instead of the wall.",
        "- Two wall plugs, two screws and this guide.",
        "The thermostat works with combination, system and regular gas boilers, oil boilers and most heat "
        "sources that use a 230 V on/off switch or an OpenTherm connection. Installation should be done by a "
        "qualified heating engineer; it takes about an hour.",
    ]),
    ("2. The display and the dial", [
        "Turn the outer ring to change the target temperature in steps of 0.5 \u00b0C, between 5 \u00b0C "
        "and 30 \u00b0C. Press the ring to open the menu. The display shows the room temperature in large "
        "digits and the target temperature below it. A flame symbol means the boiler is heating; a drop "
        "symbol means the hot water is on.",
    ]),
    ("3. Modes", [
        "- Schedule: the thermostat follows your weekly schedule. The factory schedule heats to 20 \u00b0C "
        "from 06:30 to 08:30 and from 17:00 to 22:30, and to 16 \u00b0C at all other times.",
        "- Manual: the thermostat keeps one target temperature until you change it.",
        "- Boost: heats to the target for a set time of 30 minutes, 1 hour (the default), 2 hours or "
        "3 hours, then returns to the previous mode.",
        "- Away: holds 15 \u00b0C while nobody is at home. It starts by itself when every phone in the "
        "household has been more than 1 km from home for 20 minutes, if location sharing is on in the app.",
        "- Frost protection: turns the heating on when the room falls below 7 \u00b0C, even in Off mode.",
    ]),
    ("4. Hot water", [
        "With a system or regular boiler and a cylinder, the Hot Water menu sets a separate schedule. The "
        "factory schedule heats water from 05:30 to 07:00 and from 17:30 to 19:00. Hot water Boost is "
        "always 1 hour. With a combination boiler the Hot Water menu is not shown.",
    ]),
    ("5. Settings menu", [
        "- Temperature offset: corrects the thermostat's reading by up to 3 \u00b0C up or down, if it "
        "reads differently from another thermometer in the room.",
        "- Optimum start: starts heating early so that the room reaches the target at the scheduled time, "
        "by up to 2 hours. Off by default.",
        "- Display brightness: 1 to 5 (factory setting 3). The screen dims after 20 seconds.",
        "- Child lock: press and hold the ring for 10 seconds to lock or unlock the dial.",
        "- Units: \u00b0C or \u00b0F.",
    ]),
    ("6. Batteries and power", [
        "On the wall, the thermostat runs on 3 AA alkaline batteries, which last about 2 years. A battery "
        "symbol appears on the display when about 4 weeks of charge are left. On the table stand it runs "
        "from the USB-C cable. The Hub is powered from the mains and keeps your schedule even if the Wi-Fi "
        "is down; the schedule cannot be changed in the app while the Hub is offline.",
    ]),
    ("7. Error codes", [
        "- E01 No connection to Hub: move the thermostat closer to the Hub (within 30 m indoors) or "
        "replace the batteries.",
        "- E02 Hub offline: the Hub has lost its Wi-Fi connection. Restart your router, then press the "
        "Hub's button once.",
        "- E04 Temperature sensor fault: restart the thermostat by taking out one battery for 10 seconds. "
        "If E04 returns, contact Lumio Support.",
        "- E05 Boiler not responding: check that the boiler is switched on and has no fault of its own.",
        "- E07 Firmware update failed: the thermostat retries automatically within 24 hours.",
    ]),
    ("8. Resetting", [
        "To restart the Hub, press its button for 3 seconds. To return the thermostat to factory settings, "
        "open Settings > Reset and confirm: your schedule, your Wi-Fi details and any temperature offset "
        "are deleted. The Hub's own factory reset (hold the button for 15 seconds) removes it from your "
        "account.",
    ]),
    ("9. Technical data", [
        "Thermostat: 84 mm across, 26 mm deep; 3 x AA batteries; accuracy \u00b10.3 \u00b0C. Hub: 230 V "
        "AC, 50 Hz, 1.5 W; switching relay rated 3 A. Radio: 868 MHz between thermostat and Hub; Wi-Fi "
        "2.4 GHz only. Operating range 0 \u00b0C to 40 \u00b0C.",
    ]),
    ("10. Guarantee and support", [
        "The Lumio T4 is guaranteed for 2 years from purchase, or 3 years if it was fitted by a Lumio "
        "Approved Installer. Lumio Support: 0330 818 2455, Monday to Friday 08:00 to 20:00 and Saturday "
        "09:00 to 13:00, or chat in the app.",
    ]),
]


def main() -> None:
    pdf(DOCS / "millbeck-dental-fees-leaflet.pdf", "Fees and Payment Guide",
        "Millbeck Dental Practice: NHS and private fees, our Smile Plan and how to pay (April 2027)", DENTAL)
    pdf(DOCS / "lumio-t4-smart-thermostat-guide.pdf", "Lumio T4 Smart Thermostat",
        "User guide: modes, schedules, settings, batteries and error codes (version 1.3)", THERMOSTAT)
    print(f"wrote 2 PDFs to {DOCS}")


if __name__ == "__main__":
    main()
