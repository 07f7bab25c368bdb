"""Render the heldout2 set's two PDF documents (docs/). Committed; re-run to rebuild:

    .venv/bin/pip install reportlab     # generation only
    .venv/bin/python benchmarks/data/quality/heldout2/render.py

The other four documents (markdown, plain text, HTML) are written by hand. The PDFs are text PDFs
made with reportlab's invariant mode, so the same reportlab version writes the same bytes.
The product, the medicine and its ingredient are fictional.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from render_common import pdf  # noqa: E402

DOCS = HERE / "docs"

DISHWASHER = [
    ("1. Programmes", [
        "The figures below were measured with 14 place settings and an inlet water temperature of 15 \u00b0C.",
        "- Eco 50: 50 \u00b0C, 3 h 45 min, 9.5 litres, 0.82 kWh. Normally soiled everyday loads; the most "
        "efficient programme for water and energy.",
        "- Auto 45-65: 45 to 65 \u00b0C, 2 h 10 min to 2 h 50 min, 10.5 to 14 litres, 0.95 to 1.30 kWh. Sensors "
        "measure how dirty the water is and choose the temperature.",
        "- Intensive 70: 70 \u00b0C, 2 h 35 min, 15.8 litres, 1.55 kWh. Heavily soiled pots, pans and "
        "casserole dishes with dried-on food.",
        "- Glass 40: 40 \u00b0C, 1 h 50 min, 11 litres, 0.95 kWh. Lightly soiled glasses and delicate china.",
        "- Quick 35: 35 \u00b0C, 29 min, 10 litres, 0.65 kWh. Lightly soiled loads that have just been used, "
        "with no dried food.",
        "- Rinse and Hold: no heating, 15 min, 4 litres, 0.02 kWh. Rinses a part load you will wash later.",
        "Options: Half Load washes in the upper or the lower basket only and uses about 30% less water; "
        "Extra Dry adds a hotter final rinse and about 20 minutes.",
    ]),
    ("2. Delay Start", [
        "You can delay the start of any programme by 1 to 24 hours, in steps of 1 hour. Choose the programme, "
        "press Delay until the display shows the number of hours you want, then press Start/Pause and close "
        "the door. To cancel a delayed start, hold Delay down for 3 seconds.",
    ]),
    ("3. Loading", [
        "The DW614 holds 14 place settings. Plates up to 31 cm across fit in the lower basket; if the upper "
        "basket is in its raised position, the limit is 29 cm. The upper basket can be raised or lowered by "
        "4 cm with the handles on each side, even when it is loaded.",
    ]),
    ("4. Water hardness and salt", [
        "Ask your water supplier for the hardness of your water, then choose the setting below. To change it, "
        "hold Programme while you switch the dishwasher on, then press Programme until the setting you want "
        "is shown, and press Start/Pause to save it.",
        "- H1: 0 to 6 \u00b0dH (no salt needed; the salt light stays off)",
        "- H2: 7 to 11 \u00b0dH",
        "- H3: 12 to 17 \u00b0dH (factory setting)",
        "- H4: 18 to 22 \u00b0dH",
        "- H5: 23 to 34 \u00b0dH",
        "- H6: 35 to 55 \u00b0dH",
        "The salt container, under the lower basket, holds about 1.2 kg. Refill it when the salt symbol lights "
        "up, with coarse dishwasher salt only, never table salt.",
    ]),
    ("5. Rinse aid", [
        "The rinse aid dose has six levels, 1 to 6; the factory setting is level 4. Raise it if glasses come "
        "out with streaks or water drops; lower it if they have a sticky film. The rinse aid tank holds "
        "110 ml, enough for about 40 washes.",
    ]),
    ("6. Cleaning and care", [
        "Clean the filters every 2 weeks, or sooner if you see food residue. Wipe the door seal once a month. "
        "Once a month, run Intensive 70 with the machine empty and a dishwasher cleaner in the basket.",
    ]),
    ("7. Error codes", [
        "When a fault stops a programme, the display shows a code and the dishwasher beeps three times. After "
        "you have removed the cause, hold Start/Pause for 3 seconds to reset the programme.",
        "- E1 (water supply): the dishwasher did not fill within 10 minutes. Check that the tap is fully open, "
        "that the inlet hose is not kinked, and that the filter at the end of the inlet hose is clean.",
        "- E2 (drain fault): the water was not pumped out within 6 minutes. Clean the filters, and check that "
        "the drain hose is not kinked or blocked and that the sink waste connection is clear.",
        "- E3 (heating): the water did not reach the programme temperature within 60 minutes. Switch the "
        "dishwasher off and on again; if E3 comes back, call the service line.",
        "- E4 (leak protection): water has collected in the base tray and the anti-flood system is pumping it "
        "out. Turn off the water tap, unplug the dishwasher and call the service line. Do not tilt the machine.",
        "- E5 (temperature sensor): the sensor is faulty. Call the service line.",
        "- E7 (door): the door was not closed within 4 minutes of starting a programme, or the door latch is "
        "faulty. Close the door firmly; if E7 stays, call the service line.",
        "- E9 (control panel): a button has been held down for more than 30 seconds. Check that nothing is "
        "pressing against the control panel.",
    ]),
    ("8. Installation", [
        "Electricity: 220 to 240 V, protected by a 10 A fuse. Water pressure: 0.05 to 1 MPa (0.5 to 10 bar). "
        "The dishwasher may be connected to the cold supply or to a hot supply of up to 60 \u00b0C. The end of "
        "the drain hose must be between 40 and 100 cm above the floor. Dimensions: 85 cm high, 60 cm wide, "
        "60 cm deep. Noise: 44 dB(A) on Eco 50.",
    ]),
    ("9. Service and guarantee", [
        "Your dishwasher is guaranteed for 2 years, parts and labour, from the date of purchase. Register it "
        "within 90 days of purchase to extend the parts guarantee to 5 years. Service line: 0345 600 1840, "
        "Monday to Friday 8am to 8pm and Saturday 9am to 1pm.",
    ]),
]

LEAFLET = [
    ("1. What Nasotrel is and what it is used for", [
        "Nasotrel contains torvastine, an antihistamine. It relieves the symptoms of hay fever and of "
        "year-round allergies to dust mites or pets (sneezing, a runny or itchy nose, itchy and watery eyes), "
        "and the itching and rash of hives (urticaria). Each film-coated tablet contains 10 mg of torvastine "
        "and has a score line, so that it can be broken into two equal halves.",
    ]),
    ("2. Before you take Nasotrel", [
        "Do not take Nasotrel if you are allergic to torvastine or to any of the other ingredients (section 6).",
        "Talk to your pharmacist before taking Nasotrel if you have severe liver disease or if you have "
        "epilepsy. Stop taking Nasotrel 48 hours before any allergy skin test, because it can hide the result.",
        "Other medicines: tell your pharmacist if you are taking ketoconazole or erythromycin, which can raise "
        "the amount of torvastine in your blood.",
        "Food and drink: Nasotrel can be taken with or without food. Do not take it with grapefruit juice, "
        "which also raises the amount of torvastine in your blood. Avoid alcohol while taking Nasotrel.",
        "Pregnancy and breast-feeding: Nasotrel is not recommended during pregnancy or while breast-feeding.",
        "Driving: Nasotrel does not usually make people drowsy, but a few people are affected. Do not drive "
        "or use machines until you know how it affects you.",
        "Nasotrel contains lactose (71 mg in each tablet). If you have been told that you cannot digest some "
        "sugars, talk to your pharmacist first.",
    ]),
    ("3. How to take Nasotrel", [
        "Swallow the tablet with a glass of water. The recommended dose is:",
        "- Adults and children aged 12 years and over: one tablet (10 mg) once a day. Do not take more than "
        "one tablet in 24 hours.",
        "- Children aged 6 to 11 years who weigh more than 30 kg: one tablet (10 mg) once a day.",
        "- Children aged 6 to 11 years who weigh 30 kg or less: half a tablet (5 mg) once a day.",
        "- Children under 6 years: Nasotrel tablets are not suitable. Nasotrel Children's Syrup (1 mg in "
        "1 ml) can be given to children aged 2 to 5 years: 5 ml once a day, measured with the spoon provided.",
        "- People with severe liver disease: one tablet every other day.",
        "If you forget a dose, take it as soon as you remember, unless your next dose is due in less than "
        "8 hours; then skip the missed dose. Do not take a double dose to make up for a forgotten one.",
        "If you take more than you should, you may feel sleepy or have a fast heartbeat. Contact a doctor or "
        "the nearest hospital emergency department and take this leaflet with you.",
        "If your symptoms do not improve after 7 days, or get worse, talk to a doctor.",
    ]),
    ("4. Possible side effects", [
        "Like all medicines, Nasotrel can cause side effects, although not everybody gets them.",
        "- Common (may affect up to 1 in 10 people): headache, drowsiness, dry mouth, tiredness.",
        "- Uncommon (may affect up to 1 in 100 people): dizziness, feeling sick, stomach pain.",
        "- Rare (may affect up to 1 in 1,000 people): fast or uneven heartbeat, skin rash, changes in "
        "liver tests.",
        "Stop taking Nasotrel and get medical help at once if you have swelling of the face, lips or throat, "
        "or difficulty breathing.",
    ]),
    ("5. How to store Nasotrel", [
        "Keep this medicine out of the sight and reach of children. Store below 25 \u00b0C in the original "
        "package. Do not use the tablets after the expiry date printed on the carton after EXP. Once the "
        "syrup bottle has been opened, use it within 6 months.",
    ]),
    ("6. Contents of the pack and other information", [
        "Each tablet contains 10 mg torvastine hydrochloride. The other ingredients are lactose monohydrate, "
        "maize starch, microcrystalline cellulose and magnesium stearate; the film coating contains "
        "hypromellose, titanium dioxide and macrogol.",
        "Nasotrel tablets are white, oval and marked N10 on one side. They come in blister packs of 7, 14 or "
        "30 tablets. Not all pack sizes may be marketed.",
        "Marketing authorisation holder: Fenwick Pharma Ltd, Unit 4, Harrow Business Park, Pellow PV1 2EX. "
        "Product licence number PL 41872/0093. This leaflet was last revised in March 2026.",
    ]),
]


def main() -> None:
    pdf(DOCS / "brightwell-dw614-dishwasher-manual.pdf", "Brightwell DW614 Freestanding Dishwasher",
        "User manual: programmes, settings and troubleshooting (edition 3, 2026)", DISHWASHER)
    pdf(DOCS / "nasotrel-allergy-tablets-leaflet.pdf", "Nasotrel Allergy Relief 10 mg Film-coated Tablets",
        "Package leaflet: information for the user. Read all of this leaflet before you start taking this "
        "medicine, and keep it: you may need to read it again.", LEAFLET)
    print(f"wrote 2 PDFs to {DOCS}")


if __name__ == "__main__":
    main()
