"""Render the heldout3 set's two PDF documents (docs/). Committed; re-run to rebuild:

    .venv/bin/pip install reportlab     # generation only
    .venv/bin/python benchmarks/data/quality/heldout3/render.py

The other four documents (markdown, plain text, HTML) are written by hand. The PDFs are text PDFs
made with reportlab's invariant mode, so the same reportlab version writes the same bytes.
The coffee machine, the veterinary practice and its prices are fictional.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from render_common import pdf  # noqa: E402

DOCS = HERE / "docs"

COFFEE = [
    ("1. Drinks and their factory settings", [
        "Each drink button makes the cup below with the factory settings. You can change the amount of any "
        "drink by holding its button down for 3 seconds while the drink is being made, then releasing it when "
        "the cup holds the amount you want; the machine remembers the new amount.",
        "- Ristretto: 25 ml of coffee.",
        "- Espresso: 40 ml of coffee (adjustable from 20 to 80 ml).",
        "- Lungo: 110 ml of coffee, brewed more slowly through a coarser grind.",
        "- Americano: a 40 ml espresso topped up with 120 ml of hot water.",
        "- Cappuccino: a 60 ml double espresso with 100 ml of milk foam.",
        "- Latte macchiato: 180 ml of hot milk and milk foam with a 40 ml espresso poured on top.",
        "- Hot water: 200 ml at 85 \u00b0C, for tea.",
        "Coffee strength has five levels, shown as one to five beans; the factory setting is three beans. "
        "The ceramic grinder has eight settings, from 1 (finest) to 8 (coarsest); the factory setting is 5. "
        "Only change the grind setting while the grinder is running.",
    ]),
    ("2. Brewing temperature", [
        "Three temperatures can be chosen in the menu under Settings > Temperature: Low (86 \u00b0C), "
        "Medium (90 \u00b0C, the factory setting) and High (94 \u00b0C). Choose High for dark roasts that "
        "taste sour, and Low for light roasts that taste bitter.",
    ]),
    ("3. Capacities", [
        "- Water tank: 1.8 litres, removable, filled from the top or at the sink.",
        "- Bean hopper: 250 g of whole beans. Do not put ground, oily, caramelised or flavoured beans in the "
        "hopper; use the pre-ground coffee chute for ground coffee (one level scoop, 7 g, per drink).",
        "- Grounds container: up to 12 used coffee pucks. Empty it only while the machine is switched on, so "
        "that the counter is reset.",
        "- Milk carafe: 0.5 litres. Keep the milk in the fridge when you are not using it.",
    ]),
    ("4. Water filter and hardness", [
        "Test your water with the strip supplied and set the hardness (level 1 soft to level 4 very hard) in "
        "Settings > Water hardness; the factory setting is level 3. An AquaPure CF-2 filter cartridge reduces "
        "scale and improves the taste. Replace it after 50 litres of water or after 2 months, whichever "
        "comes first; the machine counts the litres and reminds you. With a filter fitted, the machine needs "
        "descaling much less often.",
    ]),
    ("5. Descaling", [
        "When the DESCALE light comes on, descale the machine within two weeks. Use only Crestola DeCalc "
        "liquid descaler: never use vinegar or citric acid, which can damage the seals and the heating "
        "block and are not covered by the guarantee.",
        "- Remove the water filter, if one is fitted, and empty the drip tray and the grounds container.",
        "- Pour one bottle (100 ml) of DeCalc into the empty water tank and fill it with water to the 0.5 l "
        "mark.",
        "- Place a container of at least 600 ml under the coffee spout and the milk spout.",
        "- Press and hold the Descale button for 3 seconds. The programme takes about 25 minutes and pauses "
        "once, halfway, when the tank must be rinsed and refilled with clean water to the MAX mark.",
    ]),
    ("6. Cleaning", [
        "The milk system rinses itself with hot water after each milk drink. Once a week, run the Milk Clean "
        "programme (about 8 minutes) with a sachet of milk cleaner dissolved in 250 ml of water. Take out the "
        "brew unit every week, rinse it under cold running water (no detergent) and let it dry before you put "
        "it back. The drip tray, grounds container and carafe lid are dishwasher safe; the water tank and the "
        "brew unit are not.",
    ]),
    ("7. Energy saving", [
        "The machine switches itself off after 30 minutes without use (factory setting). The time can be set "
        "to 15 minutes, 30 minutes, 1 hour, 2 hours or 4 hours. In standby the machine uses less than 0.5 W.",
    ]),
    ("8. Messages on the display", [
        "- C1 Fill water tank: the tank is empty or not pushed fully in.",
        "- C2 Empty grounds container: the container is full, or it was emptied while the machine was off.",
        "- C3 Insert brew unit: the brew unit is missing or not locked; push it in until it clicks.",
        "- C4 Fill beans: the hopper is empty. Add beans and make the drink again; the first drink after "
        "refilling may be weaker.",
        "- C6 Clean milk system: milk has dried in the tubes. Run Milk Clean.",
        "- C8 Overheating: switch the machine off and let it cool for 30 minutes.",
        "- C9 Fault: switch the machine off at the wall for 1 minute. If C9 comes back, call Crestola "
        "Customer Care.",
    ]),
    ("9. Technical data and guarantee", [
        "Mains supply 220 to 240 V, 50 Hz; power 1,450 W; pump pressure 15 bar. Width 24 cm, height 36 cm, "
        "depth 43 cm; weight 8.2 kg without water and beans.",
        "The machine is guaranteed for 2 years from the date of purchase. Register it within 60 days to extend "
        "the guarantee to 3 years. Crestola Customer Care: 0345 301 7720, Monday to Saturday 8am to 6pm.",
    ]),
]

VACCINATION = [
    ("Why vaccinate?", [
        "Vaccines protect your pet from serious infectious diseases, many of which have no cure. This leaflet "
        "explains which vaccines we recommend at Wyncombe Veterinary Centre, when they are due and what they "
        "cost. Every vaccination appointment includes a full health check by a vet.",
    ]),
    ("Dogs", [
        "Puppies have their first vaccination at 8 weeks of age and the second 2 weeks later, at 10 weeks. "
        "The course protects against distemper, hepatitis, parvovirus (together called DHP) and "
        "leptospirosis. Your puppy can go out in public places and meet unknown dogs 1 week after the second "
        "injection, not before.",
        "Adult dogs need a booster every year. Leptospirosis is given every year; DHP is given every third "
        "year, and we plan this for you. If more than 15 months have passed since your dog's last booster, "
        "the protection may have lapsed and the two-injection course is started again.",
        "Kennel cough vaccine is given as drops up the nose, once a year. Most boarding kennels ask for it. "
        "Give it at least 3 weeks before your dog goes into kennels; it protects for 12 months.",
    ]),
    ("Cats", [
        "Kittens have their first vaccination at 9 weeks and the second at 12 weeks. Keep your kitten indoors "
        "until 1 week after the second injection. The course covers cat flu and feline enteritis, and, for "
        "cats that will go outdoors, feline leukaemia virus (FeLV). Adult cats need a booster every year.",
    ]),
    ("Rabbits", [
        "One combined injection protects against myxomatosis and both strains of rabbit haemorrhagic disease "
        "(RHD1 and RHD2). It can be given from 5 weeks of age and is repeated every year. Indoor rabbits need "
        "it too, because the diseases are spread by insects and on hay.",
    ]),
    ("Travelling abroad with your pet", [
        "Dogs, cats and ferrets travelling abroad need a microchip and a rabies vaccination. The rabies "
        "vaccine can be given from 12 weeks of age. Your pet can travel 21 days after the vaccination, "
        "not before. Book an appointment for an animal health certificate no more than 10 days before you "
        "travel.",
    ]),
    ("Prices (from 1 February 2027, including VAT)", [
        "- Puppy course (two injections): \u00a368.00",
        "- Kitten course (two injections): \u00a364.00",
        "- Dog annual booster: \u00a349.00",
        "- Cat annual booster: \u00a346.00",
        "- Rabbit annual vaccination: \u00a342.00",
        "- Kennel cough vaccine: \u00a332.00, or \u00a328.00 when given at the same visit as the annual booster",
        "- Rabies vaccination: \u00a375.00",
        "- Animal health certificate for travel: \u00a3145.00",
        "- Microchipping: \u00a318.00 (free with a puppy or kitten course at Wyncombe)",
    ]),
    ("The Wyncombe Pet Health Plan", [
        "Spread the cost of routine care with a monthly direct debit: \u00a314.50 a month for a dog, "
        "\u00a312.00 a month for a cat and \u00a39.50 a month for a rabbit. The plan includes the annual "
        "booster, two health checks a year, flea and worm treatment for dogs and cats, a nail clip every "
        "3 months and 10% off all other treatment at the practice (not on food or on the animal health "
        "certificate). The minimum term is 12 months.",
    ]),
    ("After the vaccination", [
        "Your pet may be a little quiet or off food for 24 to 48 hours, and there may be a small lump where "
        "the injection was given. Call us if your pet is still unwell after 48 hours, if the lump is still "
        "there after 3 weeks, or at once if you see swelling of the face, vomiting or difficulty breathing.",
    ]),
    ("Reminders and appointments", [
        "We send a text reminder 4 weeks before a vaccination is due, and another if it becomes overdue. "
        "The surgery is open Monday to Friday 08:00 to 19:00 and Saturday 08:30 to 12:30. Nurse vaccination "
        "clinics for boosters run on Tuesday and Thursday afternoons from 14:00 to 17:00. Appointments: "
        "01632 960 440. Out-of-hours emergencies: 01632 960 447.",
    ]),
]


def main() -> None:
    pdf(DOCS / "crestola-cm300-coffee-machine-manual.pdf", "Crestola Barista CM300 Bean-to-Cup Coffee Machine",
        "Instructions for use: drinks, settings, care and display messages (edition 2, 2027)", COFFEE)
    pdf(DOCS / "wyncombe-vets-vaccination-leaflet.pdf", "Vaccinating Your Dog, Cat or Rabbit",
        "A client leaflet from Wyncombe Veterinary Centre, 12 Orchard Road, Wyncombe WY3 8LB. "
        "Please keep this leaflet with your pet's vaccination card.", VACCINATION)
    print(f"wrote 2 PDFs to {DOCS}")


if __name__ == "__main__":
    main()
