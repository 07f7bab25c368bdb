"""Prompt set for the agentkit tool-calling benchmark (plain data, no model code).

This module holds:

* ``TOOLS`` - a library of everyday tool definitions in OpenAI function format
  (``{"type": "function", "function": {"name", "description", "parameters"}}``).
* ``DEV_CASES`` - a small set for prompt/parser tuning.
* ``EVAL_CASES`` - the held-out evaluation set; do not tune against it.
* ``HELDOUT2_CASES`` - a second held-out set in the style of BFCL (see below).
* ``check_call(case, name, arguments)`` - whether a model's (first) tool call
  matches a case. ``name=None`` means the model answered without a tool call.
* ``tools_for(case)`` - the OpenAI-format definitions of a case's offered tools.

Each case is ``{"id", "prompt", "tools", "expected"}``. ``tools`` lists the
names of the 2-6 tools offered (1-6 in HELDOUT2), in order. ``expected`` is ``None`` when none of
the offered tools fits the request (the model should answer directly), or
``{"name": tool_name, "arguments": {...}}`` where ``arguments`` holds only the
arguments the checker compares. Free-form arguments (email bodies, calculator
expressions, search queries) are omitted or reduced to a short core term that
any reasonable value contains. Dates use ``YYYY-MM-DD`` and times ``HH:MM``
(24-hour), as the tool schemas describe.

Both sets hold two harder kinds of case (added 2026-11-29, the EVAL ones written
and committed before any tuning on them): *near misses*, where every offered tool
is related to the request but cannot do it (another domain's formula, the wrong
shape, unit or entity, a missing capability such as cancelling with a booking
tool), whose right answer is no call; and requests that need *one of several
similar tools* (circle area vs circumference vs sphere volume, a stock's price vs
its history, searching flights vs booking one).

``HELDOUT2_CASES`` (written 2026-11-30, before any run on them; never tune on it)
follows the Berkeley Function Calling Leaderboard: 40 tool cases (h2-t01..t20
"simple", the right function plus 1-2 from unrelated domains; h2-t21..t40
"multiple", one right function among 2-4 similar ones of its domain) and 40
no-tool cases (h2-n01..n40, "irrelevance": 1-3 functions of the request's domain
that cannot do it, 8 of them general knowledge or chit-chat), over science, maths,
finance, health, geography, sports, history, music, law, ... "API" functions of
its own that no DEV or EVAL case offers.

Run this file directly to validate the data and print counts.
"""

from __future__ import annotations

import copy
import math
from typing import Any

# ---------------------------------------------------------------------------
# Tool library
# ---------------------------------------------------------------------------

def _tool(name: str, description: str, properties: dict, required: list[str]) -> dict:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {
                "type": "object",
                "properties": properties,
                "required": required,
            },
        },
    }


def _s(description: str, **extra: Any) -> dict:
    return {"type": "string", "description": description, **extra}


def _i(description: str, **extra: Any) -> dict:
    return {"type": "integer", "description": description, **extra}


def _n(description: str, **extra: Any) -> dict:
    return {"type": "number", "description": description, **extra}


def _b(description: str) -> dict:
    return {"type": "boolean", "description": description}


def _e(description: str, values: list[str]) -> dict:
    return {"type": "string", "enum": values, "description": description}


def _a(description: str) -> dict:
    return {"type": "array", "items": {"type": "string"}, "description": description}


def _an(description: str) -> dict:
    return {"type": "array", "items": {"type": "number"}, "description": description}


_DATE = "Date in YYYY-MM-DD format."
_TIME = "Time in 24-hour HH:MM format."
_CURRENCY = "ISO 4217 currency code, e.g. 'USD'."

_TOOL_LIST: list[dict] = [
    _tool("get_weather", "Get the current weather for a city.",
          {"city": _s("City name, e.g. 'Paris'."),
           "unit": _e("Temperature unit.", ["celsius", "fahrenheit"])},
          ["city"]),
    _tool("get_weather_forecast", "Get the daily weather forecast for a city for the next few days.",
          {"city": _s("City name."),
           "days": _i("Number of days to forecast.", minimum=1, maximum=7)},
          ["city", "days"]),
    _tool("convert_currency", "Convert an amount of money from one currency to another.",
          {"amount": _n("Amount of money to convert."),
           "from_currency": _s(_CURRENCY),
           "to_currency": _s(_CURRENCY)},
          ["amount", "from_currency", "to_currency"]),
    _tool("get_exchange_rate", "Get the current exchange rate between two currencies.",
          {"base": _s("Base currency, " + _CURRENCY),
           "quote": _s("Quote currency, " + _CURRENCY)},
          ["base", "quote"]),
    _tool("send_email", "Send an email to a recipient.",
          {"to": _s("Recipient email address."),
           "subject": _s("Subject line."),
           "body": _s("Email body text.")},
          ["to", "subject", "body"]),
    _tool("send_sms", "Send a text message to a phone number.",
          {"phone_number": _s("Recipient phone number."),
           "message": _s("Text of the message.")},
          ["phone_number", "message"]),
    _tool("create_calendar_event", "Create an event in the user's calendar.",
          {"title": _s("Event title."),
           "date": _s(_DATE),
           "start_time": _s(_TIME),
           "duration_minutes": _i("Length of the event in minutes.", minimum=1)},
          ["title", "date", "start_time"]),
    _tool("schedule_meeting", "Schedule a meeting with other people and send them invitations.",
          {"attendees": _a("Email addresses or names of the attendees."),
           "date": _s(_DATE),
           "topic": _s("What the meeting is about.")},
          ["attendees", "date", "topic"]),
    _tool("search_web", "Search the web and return the top results.",
          {"query": _s("Search query.")},
          ["query"]),
    _tool("calculator", "Evaluate an arithmetic expression.",
          {"expression": _s("Arithmetic expression, e.g. '(2 + 3) * 4'.")},
          ["expression"]),
    _tool("is_prime", "Check whether an integer is a prime number.",
          {"n": _i("The integer to test.", minimum=0)},
          ["n"]),
    _tool("roll_dice", "Roll one or more dice and return the results.",
          {"sides": _i("Number of sides on each die.", minimum=2),
           "count": _i("How many dice to roll.", minimum=1)},
          ["sides"]),
    _tool("set_timer", "Start a countdown timer.",
          {"minutes": _i("Timer length in minutes.", minimum=1),
           "label": _s("Optional name for the timer.")},
          ["minutes"]),
    _tool("set_alarm", "Set an alarm for a time of day.",
          {"time": _s(_TIME),
           "label": _s("Optional name for the alarm."),
           "repeat_daily": _b("Whether the alarm repeats every day.")},
          ["time"]),
    _tool("translate_text", "Translate text into another language.",
          {"text": _s("Text to translate."),
           "target_language": _s("Target language name in English, e.g. 'Spanish'.")},
          ["text", "target_language"]),
    _tool("lookup_word", "Look up the dictionary definition of an English word.",
          {"word": _s("The word to define.")},
          ["word"]),
    _tool("get_stock_price", "Get the latest share price for a stock ticker.",
          {"ticker": _s("Stock ticker symbol, e.g. 'AAPL'.")},
          ["ticker"]),
    _tool("book_flight", "Book a flight between two cities.",
          {"origin": _s("Departure city name."),
           "destination": _s("Arrival city name."),
           "date": _s(_DATE),
           "passengers": _i("Number of passengers.", minimum=1)},
          ["origin", "destination", "date"]),
    _tool("play_music", "Play music by artist and/or song.",
          {"artist": _s("Artist name."),
           "song": _s("Song title."),
           "shuffle": _b("Whether to shuffle playback.")},
          []),
    _tool("turn_on_lights", "Turn on the lights in a room at a given brightness.",
          {"room": _s("Room name, e.g. 'kitchen'."),
           "brightness": _i("Brightness percentage.", minimum=0, maximum=100)},
          ["room"]),
    _tool("set_thermostat", "Set the thermostat to a target temperature.",
          {"temperature": _n("Target temperature in degrees."),
           "room": _s("Room name; defaults to the whole home.")},
          ["temperature"]),
    _tool("add_todo", "Add a task to the user's to-do list.",
          {"task": _s("Description of the task."),
           "priority": _e("Task priority.", ["low", "medium", "high"])},
          ["task"]),
    _tool("create_note", "Create a note with a title and content.",
          {"title": _s("Note title."),
           "content": _s("Note body text.")},
          ["title", "content"]),
    _tool("get_news", "Get recent news headlines about a topic.",
          {"topic": _s("News topic."),
           "count": _i("Number of headlines to return.", minimum=1, maximum=20)},
          ["topic"]),
    _tool("find_restaurant", "Find restaurants by cuisine in a city.",
          {"cuisine": _s("Type of cuisine, e.g. 'Thai'."),
           "city": _s("City name."),
           "max_price": _i("Maximum price level from 1 (cheap) to 4 (expensive).", minimum=1, maximum=4)},
          ["cuisine", "city"]),
    _tool("reserve_table", "Reserve a table at a restaurant.",
          {"restaurant": _s("Restaurant name."),
           "party_size": _i("Number of people.", minimum=1),
           "time": _s(_TIME),
           "date": _s(_DATE)},
          ["restaurant", "party_size", "time"]),
    _tool("order_pizza", "Order a pizza for delivery.",
          {"size": _e("Pizza size.", ["small", "medium", "large"]),
           "toppings": _a("List of toppings."),
           "extra_cheese": _b("Whether to add extra cheese.")},
          ["size"]),
    _tool("check_order_status", "Check the status of a store order by order ID.",
          {"order_id": _s("The order ID.")},
          ["order_id"]),
    _tool("track_package", "Track a shipment by its carrier tracking number.",
          {"tracking_number": _s("Carrier tracking number."),
           "carrier": _s("Shipping carrier, e.g. 'UPS'.")},
          ["tracking_number"]),
    _tool("unit_convert", "Convert a value between units of measurement.",
          {"value": _n("The value to convert."),
           "from_unit": _s("Source unit name, e.g. 'miles'."),
           "to_unit": _s("Target unit name, e.g. 'kilometers'.")},
          ["value", "from_unit", "to_unit"]),
    _tool("get_time_zone", "Get the time zone of a city.",
          {"city": _s("City name.")},
          ["city"]),
    _tool("get_directions", "Get directions between two places.",
          {"origin": _s("Starting place."),
           "destination": _s("Destination place."),
           "mode": _e("Travel mode.", ["driving", "walking", "transit"])},
          ["origin", "destination"]),
    _tool("search_files", "Search the local file system for files matching a pattern.",
          {"pattern": _s("File name or glob pattern, e.g. '*.pdf'."),
           "directory": _s("Directory to search in."),
           "include_hidden": _b("Whether to include hidden files.")},
          ["pattern"]),
    _tool("get_movie_showtimes", "Get cinema showtimes for a movie in a city.",
          {"movie": _s("Movie title."),
           "city": _s("City name."),
           "date": _s(_DATE)},
          ["movie", "city"]),
    # --- near neighbours: maths, geometry, health, finance, travel, dates (added for near-miss cases:
    # a related tool that cannot do what is asked, and requests that need one of several similar tools) ---
    _tool("calculate_triangle_area", "Calculate the area of a triangle from its base and height.",
          {"base": _n("Length of the base."),
           "height": _n("Height of the triangle.")},
          ["base", "height"]),
    _tool("calculate_rectangle_area", "Calculate the area of a rectangle from its length and width.",
          {"length": _n("Length of the rectangle."),
           "width": _n("Width of the rectangle.")},
          ["length", "width"]),
    _tool("calculate_circle_area", "Calculate the area of a circle from its radius.",
          {"radius": _n("Radius of the circle.")},
          ["radius"]),
    _tool("calculate_circumference", "Calculate the circumference of a circle from its radius.",
          {"radius": _n("Radius of the circle.")},
          ["radius"]),
    _tool("calculate_sphere_volume", "Calculate the volume of a sphere from its radius.",
          {"radius": _n("Radius of the sphere.")},
          ["radius"]),
    _tool("calculate_hypotenuse", "Calculate the hypotenuse of a right triangle from the lengths of its two legs.",
          {"a": _n("Length of the first leg."),
           "b": _n("Length of the second leg.")},
          ["a", "b"]),
    _tool("calculate_factorial", "Calculate the factorial of a non-negative integer.",
          {"n": _i("The integer.", minimum=0)},
          ["n"]),
    _tool("greatest_common_divisor", "Find the greatest common divisor of two integers.",
          {"a": _i("First integer."),
           "b": _i("Second integer.")},
          ["a", "b"]),
    _tool("solve_quadratic", "Find the real roots of the quadratic equation a*x^2 + b*x + c = 0.",
          {"a": _n("Coefficient of x^2."),
           "b": _n("Coefficient of x."),
           "c": _n("Constant term.")},
          ["a", "b", "c"]),
    _tool("calculate_mean", "Calculate the arithmetic mean (average) of a list of numbers.",
          {"numbers": _an("The numbers.")},
          ["numbers"]),
    _tool("calculate_standard_deviation", "Calculate the standard deviation of a list of numbers.",
          {"numbers": _an("The numbers.")},
          ["numbers"]),
    _tool("convert_temperature", "Convert a temperature between Celsius, Fahrenheit and Kelvin.",
          {"value": _n("The temperature to convert."),
           "from_scale": _e("Scale of the value.", ["celsius", "fahrenheit", "kelvin"]),
           "to_scale": _e("Scale to convert to.", ["celsius", "fahrenheit", "kelvin"])},
          ["value", "from_scale", "to_scale"]),
    _tool("calculate_bmi", "Calculate body mass index from weight in kilograms and height in meters.",
          {"weight_kg": _n("Body weight in kilograms."),
           "height_m": _n("Height in meters.")},
          ["weight_kg", "height_m"]),
    _tool("calculate_daily_calories", "Estimate the calories a person needs per day from their body and activity level.",
          {"weight_kg": _n("Body weight in kilograms."),
           "height_cm": _n("Height in centimeters."),
           "age": _i("Age in years.", minimum=1),
           "activity": _e("Activity level.", ["sedentary", "light", "moderate", "active"])},
          ["weight_kg", "height_cm", "age"]),
    _tool("calculate_heart_rate_zones", "Compute target heart-rate training zones from a person's age.",
          {"age": _i("Age in years.", minimum=1)},
          ["age"]),
    _tool("get_nutrition_facts", "Get calories and nutrients of a food per 100 grams.",
          {"food": _s("Name of the food, e.g. 'banana'.")},
          ["food"]),
    _tool("calculate_compound_interest", "Calculate the final balance of a savings deposit with interest compounded yearly.",
          {"principal": _n("Amount deposited."),
           "annual_rate": _n("Annual interest rate in percent, e.g. 5 for 5%."),
           "years": _i("Number of years.", minimum=1)},
          ["principal", "annual_rate", "years"]),
    _tool("calculate_loan_payment", "Calculate the monthly payment of a loan.",
          {"principal": _n("Amount borrowed."),
           "annual_rate": _n("Annual interest rate in percent, e.g. 5 for 5%."),
           "years": _i("Length of the loan in years.", minimum=1)},
          ["principal", "annual_rate", "years"]),
    _tool("calculate_tip", "Calculate the tip for a restaurant bill.",
          {"bill_amount": _n("Amount of the bill."),
           "tip_percent": _n("Tip in percent, e.g. 15 for 15%.")},
          ["bill_amount", "tip_percent"]),
    _tool("get_crypto_price", "Get the latest price of a cryptocurrency in US dollars.",
          {"symbol": _s("Cryptocurrency symbol, e.g. 'BTC'.")},
          ["symbol"]),
    _tool("get_stock_history", "Get the daily closing prices of a stock ticker over the past days.",
          {"ticker": _s("Stock ticker symbol, e.g. 'AAPL'."),
           "days": _i("How many past days.", minimum=1, maximum=365)},
          ["ticker", "days"]),
    _tool("get_population", "Get the current population of a country.",
          {"country": _s("Country name.")},
          ["country"]),
    _tool("get_city_distance", "Get the straight-line distance in kilometers between two cities.",
          {"city_a": _s("First city."),
           "city_b": _s("Second city.")},
          ["city_a", "city_b"]),
    _tool("get_air_quality", "Get the current air quality index of a city.",
          {"city": _s("City name.")},
          ["city"]),
    _tool("get_sunrise_sunset", "Get the sunrise and sunset times of a city on a date.",
          {"city": _s("City name."),
           "date": _s(_DATE)},
          ["city", "date"]),
    _tool("convert_time", "Convert a clock time in one city to the local time in another city.",
          {"time": _s(_TIME),
           "from_city": _s("City where the time is given."),
           "to_city": _s("City whose local time is wanted.")},
          ["time", "from_city", "to_city"]),
    _tool("days_between_dates", "Count the days between two dates.",
          {"start_date": _s(_DATE),
           "end_date": _s(_DATE)},
          ["start_date", "end_date"]),
    _tool("get_day_of_week", "Get the day of the week of a date.",
          {"date": _s(_DATE)},
          ["date"]),
    _tool("calculate_age", "Calculate a person's age in years today from their birth date.",
          {"birth_date": _s(_DATE)},
          ["birth_date"]),
    _tool("get_public_holidays", "List the public holidays of a country in a year.",
          {"country": _s("Country name."),
           "year": _i("The year.", minimum=1900, maximum=2100)},
          ["country", "year"]),
    _tool("get_flight_status", "Get the live status (on time, delayed, landed) of a flight by its flight number.",
          {"flight_number": _s("Flight number, e.g. 'LH400'.")},
          ["flight_number"]),
    _tool("search_flights", "Search available flights between two cities on a date, without booking.",
          {"origin": _s("Departure city name."),
           "destination": _s("Arrival city name."),
           "date": _s(_DATE)},
          ["origin", "destination", "date"]),
    _tool("book_hotel", "Book a hotel room in a city.",
          {"city": _s("City name."),
           "check_in": _s("Check-in date, " + _DATE),
           "nights": _i("Number of nights.", minimum=1)},
          ["city", "check_in", "nights"]),
    _tool("send_slack_message", "Post a message to a Slack channel.",
          {"channel": _s("Channel name, e.g. '#general'."),
           "text": _s("Message text.")},
          ["channel", "text"]),
    _tool("get_synonyms", "List synonyms of an English word.",
          {"word": _s("The word.")},
          ["word"]),
    # --- HELDOUT2 (added 2026-11-30): BFCL-style "API" functions of many domains, used only by
    # HELDOUT2_CASES (no DEV or EVAL case offers them) ---
    # geometry and maths
    _tool("geometry_cone_volume",
          "Calculate the volume of a right circular cone from its base radius and perpendicular height.",
          {"radius": _n("Radius of the circular base."),
           "height": _n("Perpendicular height from the base to the apex.")},
          ["radius", "height"]),
    _tool("geometry_ellipse_area", "Calculate the area of an ellipse from its semi-major and semi-minor axes.",
          {"semi_major_axis": _n("Length of the semi-major axis."),
           "semi_minor_axis": _n("Length of the semi-minor axis.")},
          ["semi_major_axis", "semi_minor_axis"]),
    _tool("geometry_polygon_interior_angle_sum",
          "Calculate the sum of the interior angles, in degrees, of a simple polygon with a given number of sides.",
          {"sides": _i("Number of sides of the polygon.", minimum=3)},
          ["sides"]),
    _tool("geometry_distance_2d",
          "Calculate the straight-line distance between two points (x1, y1) and (x2, y2) in a plane.",
          {"x1": _n("x coordinate of the first point."),
           "y1": _n("y coordinate of the first point."),
           "x2": _n("x coordinate of the second point."),
           "y2": _n("y coordinate of the second point.")},
          ["x1", "y1", "x2", "y2"]),
    _tool("math_binomial_coefficient",
          "Count the ways to choose k items from n distinct items when the order does not matter (n choose k).",
          {"n": _i("Number of distinct items to choose from.", minimum=0),
           "k": _i("Number of items chosen.", minimum=0)},
          ["n", "k"]),
    _tool("math_permutations",
          "Count the ordered arrangements of k items taken from n distinct items, where the order matters (nPk).",
          {"n": _i("Number of distinct items to choose from.", minimum=0),
           "k": _i("Number of items arranged.", minimum=0)},
          ["n", "k"]),
    _tool("math_lcm", "Find the least common multiple of two positive integers.",
          {"a": _i("First integer.", minimum=1),
           "b": _i("Second integer.", minimum=1)},
          ["a", "b"]),
    _tool("math_logarithm", "Calculate the logarithm of a positive number to a given base.",
          {"value": _n("The positive number whose logarithm is wanted."),
           "base": _n("Base of the logarithm, e.g. 10 or 2.")},
          ["value", "base"]),
    # statistics
    _tool("stats_median", "Calculate the median (middle value) of a list of numbers.",
          {"values": _an("The numbers.")},
          ["values"]),
    _tool("stats_mode", "Find the most frequent value or values in a list of numbers.",
          {"values": _an("The numbers.")},
          ["values"]),
    _tool("stats_variance", "Calculate the variance of a list of numbers.",
          {"values": _an("The numbers."),
           "sample": _b("True for the sample variance (n - 1 denominator), false for the population variance.")},
          ["values"]),
    _tool("stats_z_score",
          "Calculate the z-score of a value from the mean and standard deviation of its distribution.",
          {"value": _n("The observed value."),
           "mean": _n("Mean of the distribution."),
           "std_dev": _n("Standard deviation of the distribution.")},
          ["value", "mean", "std_dev"]),
    _tool("stats_percentile", "Return the value at a given percentile of a list of numbers.",
          {"values": _an("The numbers."),
           "percentile": _n("Percentile between 0 and 100.", minimum=0, maximum=100)},
          ["values", "percentile"]),
    # physics and electricity
    _tool("physics_final_velocity",
          "Calculate the final velocity in m/s of an object under constant acceleration from its initial "
          "velocity, acceleration and the elapsed time.",
          {"initial_velocity": _n("Initial velocity in m/s."),
           "acceleration": _n("Constant acceleration in m/s^2."),
           "time": _n("Elapsed time in seconds.", minimum=0)},
          ["initial_velocity", "acceleration", "time"]),
    _tool("physics_kinetic_energy", "Calculate the kinetic energy in joules of a moving object from its mass and speed.",
          {"mass": _n("Mass in kilograms.", minimum=0),
           "velocity": _n("Speed in m/s.")},
          ["mass", "velocity"]),
    _tool("physics_momentum", "Calculate the linear momentum in kg*m/s of an object from its mass and velocity.",
          {"mass": _n("Mass in kilograms.", minimum=0),
           "velocity": _n("Velocity in m/s.")},
          ["mass", "velocity"]),
    _tool("physics_gravitational_potential_energy",
          "Calculate the gravitational potential energy in joules of a mass raised to a height.",
          {"mass": _n("Mass in kilograms.", minimum=0),
           "height": _n("Height in meters."),
           "gravity": _n("Gravitational acceleration in m/s^2; defaults to 9.81.")},
          ["mass", "height"]),
    _tool("electric_ohms_law_current",
          "Calculate the current in amperes through a resistor from the voltage across it and its resistance (I = V / R).",
          {"voltage": _n("Voltage in volts."),
           "resistance": _n("Resistance in ohms.")},
          ["voltage", "resistance"]),
    _tool("electric_power_dissipation",
          "Calculate the electrical power in watts from the voltage and the current (P = V * I).",
          {"voltage": _n("Voltage in volts."),
           "current": _n("Current in amperes.")},
          ["voltage", "current"]),
    _tool("electric_resistors_in_series",
          "Calculate the total resistance in ohms of resistors connected one after another in series.",
          {"resistances": _an("Resistance of each resistor in ohms.")},
          ["resistances"]),
    # chemistry
    _tool("chem_molar_mass", "Calculate the molar mass in g/mol of a compound from its chemical formula.",
          {"formula": _s("Chemical formula, e.g. 'H2SO4'.")},
          ["formula"]),
    _tool("chem_ph_from_concentration",
          "Calculate the pH of a solution from its hydrogen ion concentration in mol/L.",
          {"h_concentration": _n("Hydrogen ion concentration in mol/L.")},
          ["h_concentration"]),
    _tool("chem_dilution_final_concentration",
          "Calculate the concentration of a solution after dilution from its initial concentration, initial "
          "volume and final volume (C1 * V1 = C2 * V2).",
          {"initial_concentration": _n("Initial concentration in mol/L."),
           "initial_volume": _n("Initial volume in liters."),
           "final_volume": _n("Final volume in liters.")},
          ["initial_concentration", "initial_volume", "final_volume"]),
    # finance and business
    _tool("finance_simple_interest",
          "Calculate the simple (not compounded) interest earned on a principal over a number of years.",
          {"principal": _n("Amount invested or lent."),
           "annual_rate": _n("Annual interest rate in percent, e.g. 4 for 4%."),
           "years": _n("Number of years.", minimum=0)},
          ["principal", "annual_rate", "years"]),
    _tool("finance_compound_interest_periodic",
          "Calculate the final balance of an investment whose interest is compounded at a given frequency.",
          {"principal": _n("Amount invested."),
           "annual_rate": _n("Nominal annual interest rate in percent, e.g. 6 for 6%."),
           "years": _n("Number of years.", minimum=0),
           "compounding": _e("How often interest is compounded.",
                             ["annually", "semiannually", "quarterly", "monthly", "daily"])},
          ["principal", "annual_rate", "years", "compounding"]),
    _tool("finance_net_present_value",
          "Calculate the net present value of a series of yearly cash flows at a discount rate.",
          {"cash_flows": _an("Cash flows in order, the first at year 0 (usually the negative initial investment)."),
           "discount_rate": _n("Annual discount rate in percent, e.g. 8 for 8%.")},
          ["cash_flows", "discount_rate"]),
    _tool("business_profit_margin",
          "Calculate the net profit margin in percent from total revenue and total costs.",
          {"revenue": _n("Total revenue."),
           "costs": _n("Total costs.")},
          ["revenue", "costs"]),
    _tool("business_break_even_units",
          "Calculate how many units must be sold to cover fixed costs, from the fixed costs, the price per unit "
          "and the variable cost per unit.",
          {"fixed_costs": _n("Total fixed costs."),
           "price_per_unit": _n("Selling price of one unit."),
           "variable_cost_per_unit": _n("Variable cost of producing one unit.")},
          ["fixed_costs", "price_per_unit", "variable_cost_per_unit"]),
    # health and medicine
    _tool("health_bmr_mifflin",
          "Estimate basal metabolic rate in kcal per day with the Mifflin-St Jeor equation.",
          {"weight_kg": _n("Body weight in kilograms."),
           "height_cm": _n("Height in centimeters."),
           "age": _i("Age in years.", minimum=1),
           "sex": _e("Biological sex.", ["male", "female"])},
          ["weight_kg", "height_cm", "age", "sex"]),
    _tool("health_ideal_body_weight",
          "Estimate ideal body weight in kilograms from height and sex with the Devine formula.",
          {"height_cm": _n("Height in centimeters."),
           "sex": _e("Biological sex.", ["male", "female"])},
          ["height_cm", "sex"]),
    _tool("health_water_intake",
          "Recommend a daily water intake in liters from body weight and minutes of exercise per day.",
          {"weight_kg": _n("Body weight in kilograms."),
           "exercise_minutes": _i("Minutes of exercise per day.", minimum=0)},
          ["weight_kg"]),
    _tool("health_due_date",
          "Estimate a pregnancy due date from the first day of the last menstrual period.",
          {"last_period_start": _s("First day of the last menstrual period, " + _DATE)},
          ["last_period_start"]),
    _tool("medication_dose_by_weight",
          "Calculate a total single dose in milligrams from body weight and a prescribed dose per kilogram.",
          {"weight_kg": _n("Body weight in kilograms."),
           "dose_mg_per_kg": _n("Prescribed dose in milligrams per kilogram of body weight.")},
          ["weight_kg", "dose_mg_per_kg"]),
    _tool("drug_interaction_check", "Check a list of medications for known interactions between them.",
          {"drugs": _a("Generic names of the medications, e.g. ['aspirin', 'clopidogrel'].")},
          ["drugs"]),
    _tool("drug_side_effects", "List the common side effects of a single medication.",
          {"drug": _s("Generic name of the medication.")},
          ["drug"]),
    # geography
    _tool("geo_country_population_by_year", "Get the population of a country in a given year.",
          {"country": _s("Country name."),
           "year": _i("The year.", minimum=1950, maximum=2100)},
          ["country", "year"]),
    _tool("geo_country_area", "Get the total area of a country.",
          {"country": _s("Country name."),
           "unit": _e("Unit of the result.", ["square_kilometers", "square_miles"])},
          ["country", "unit"]),
    _tool("geo_country_gdp", "Get the gross domestic product of a country in US dollars for a given year.",
          {"country": _s("Country name."),
           "year": _i("The year.", minimum=1960, maximum=2100)},
          ["country", "year"]),
    _tool("geo_country_capital", "Get the capital city of a country.",
          {"country": _s("Country name.")},
          ["country"]),
    _tool("geo_city_elevation", "Get the elevation above sea level of a city in meters.",
          {"city": _s("City name.")},
          ["city"]),
    # astronomy
    _tool("astro_moon_phase", "Get the phase of the Moon on a date.",
          {"date": _s(_DATE)},
          ["date"]),
    _tool("astro_light_travel_time", "Calculate how long light takes to travel a distance given in kilometers.",
          {"distance_km": _n("Distance in kilometers.", minimum=0)},
          ["distance_km"]),
    _tool("astro_planet_orbital_period",
          "Get how long a planet of the Solar System takes to orbit the Sun, in Earth days.",
          {"planet": _e("The planet.", ["Mercury", "Venus", "Earth", "Mars", "Jupiter", "Saturn", "Uranus",
                                         "Neptune"])},
          ["planet"]),
    _tool("astro_escape_velocity",
          "Calculate the escape velocity in m/s from the surface of a body from its mass and radius.",
          {"mass_kg": _n("Mass of the body in kilograms."),
           "radius_m": _n("Radius of the body in meters.")},
          ["mass_kg", "radius_m"]),
    # sports
    _tool("sports_league_standings", "Get the final league table of a sports league for a season.",
          {"league": _s("League name, e.g. 'La Liga'."),
           "season": _s("Season, e.g. '2021-22' or '2021'.")},
          ["league", "season"]),
    _tool("sports_player_season_stats", "Get a player's statistics for one season.",
          {"player": _s("Player name."),
           "season": _s("Season, e.g. '2021-22' or '2021'.")},
          ["player", "season"]),
    _tool("sports_match_result", "Get the final score of a match between two teams on a date.",
          {"home_team": _s("Home team name."),
           "away_team": _s("Away team name."),
           "date": _s(_DATE)},
          ["home_team", "away_team", "date"]),
    _tool("sports_batting_average", "Calculate a baseball batting average from hits and at-bats.",
          {"hits": _i("Number of hits.", minimum=0),
           "at_bats": _i("Number of at-bats.", minimum=1)},
          ["hits", "at_bats"]),
    _tool("sports_running_pace", "Calculate running pace in minutes per kilometer from distance and time.",
          {"distance_km": _n("Distance run in kilometers."),
           "time_minutes": _n("Total time in minutes.")},
          ["distance_km", "time_minutes"]),
    # history
    _tool("history_us_president_by_year", "Get who was President of the United States in a given year.",
          {"year": _i("The year.", minimum=1789)},
          ["year"]),
    _tool("history_monarch_reign", "Get the first and last year of a monarch's reign.",
          {"monarch": _s("Name of the monarch, e.g. 'Louis XIV'.")},
          ["monarch"]),
    _tool("history_event_date", "Get the date on which a historical event happened.",
          {"event": _s("Short name of the event, e.g. 'storming of the Bastille'.")},
          ["event"]),
    # music
    _tool("music_note_frequency",
          "Get the frequency in hertz of a musical note in twelve-tone equal temperament with A4 = 440 Hz.",
          {"note": _s("Note name without the octave, e.g. 'A' or 'C#'."),
           "octave": _i("Octave number in scientific pitch notation, e.g. 4.", minimum=0, maximum=9)},
          ["note", "octave"]),
    _tool("music_transpose_chord", "Transpose a chord symbol up or down by a number of semitones.",
          {"chord": _s("Chord symbol, e.g. 'Dm7'."),
           "semitones": _i("Semitones to move: positive is up, negative is down.")},
          ["chord", "semitones"]),
    _tool("music_album_tracklist", "Get the list of tracks on an album.",
          {"artist": _s("Artist or band name."),
           "album": _s("Album title.")},
          ["artist", "album"]),
    _tool("music_artist_discography", "List the studio albums released by an artist.",
          {"artist": _s("Artist or band name.")},
          ["artist"]),
    # law
    _tool("law_small_claims_limit",
          "Get the maximum amount that can be claimed in small claims court in a US state.",
          {"state": _s("US state name.")},
          ["state"]),
    _tool("law_statute_of_limitations",
          "Get the deadline in years for filing a civil claim of a given type in a US state.",
          {"state": _s("US state name."),
           "claim_type": _e("Type of claim.", ["personal_injury", "breach_of_written_contract",
                                               "property_damage", "medical_malpractice", "defamation"])},
          ["state", "claim_type"]),
    _tool("law_case_summary", "Get a summary of a published court decision by its case name.",
          {"case_name": _s("Case name, e.g. 'Marbury v. Madison'.")},
          ["case_name"]),
    # books
    _tool("books_reading_time",
          "Estimate how long it takes to read a text from its word count and a reading speed.",
          {"word_count": _i("Number of words.", minimum=1),
           "words_per_minute": _i("Reading speed in words per minute.", minimum=1)},
          ["word_count", "words_per_minute"]),
    _tool("books_search_by_author", "List the books written by an author.",
          {"author": _s("Author name.")},
          ["author"]),
    _tool("books_price_by_isbn", "Get the current retail price of a book by its ISBN.",
          {"isbn": _s("ISBN-10 or ISBN-13.")},
          ["isbn"]),
    _tool("library_check_availability",
          "Check whether a library has a copy of a book available to borrow, by ISBN.",
          {"isbn": _s("ISBN-10 or ISBN-13."),
           "library": _s("Library name.")},
          ["isbn", "library"]),
    # weather science
    _tool("climate_dew_point",
          "Calculate the dew point in degrees Celsius from the air temperature in Celsius and the relative humidity.",
          {"temperature_c": _n("Air temperature in degrees Celsius."),
           "relative_humidity": _n("Relative humidity in percent.", minimum=0, maximum=100)},
          ["temperature_c", "relative_humidity"]),
    _tool("climate_heat_index",
          "Calculate the heat index (apparent temperature) in degrees Fahrenheit from the air temperature in "
          "Fahrenheit and the relative humidity.",
          {"temperature_f": _n("Air temperature in degrees Fahrenheit."),
           "relative_humidity": _n("Relative humidity in percent.", minimum=0, maximum=100)},
          ["temperature_f", "relative_humidity"]),
    _tool("climate_wind_chill",
          "Calculate the wind chill temperature in degrees Celsius from the air temperature in Celsius and the "
          "wind speed in km/h.",
          {"temperature_c": _n("Air temperature in degrees Celsius."),
           "wind_speed_kmh": _n("Wind speed in km/h.", minimum=0)},
          ["temperature_c", "wind_speed_kmh"]),
    _tool("climate_monthly_average_temperature",
          "Get the long-term average air temperature of a city for a calendar month.",
          {"city": _s("City name."),
           "month": _e("The month.", ["January", "February", "March", "April", "May", "June", "July",
                                      "August", "September", "October", "November", "December"])},
          ["city", "month"]),
    # engineering and energy
    _tool("compute_density", "Calculate the density of an object from its mass and volume.",
          {"mass": _n("Mass in kilograms."),
           "volume": _n("Volume in cubic meters."),
           "unit": _e("Unit of the result.", ["kg/m3", "g/cm3"])},
          ["mass", "volume", "unit"]),
    _tool("energy_fuel_consumption",
          "Calculate a vehicle's fuel consumption in liters per 100 km from the distance driven and the fuel used.",
          {"distance_km": _n("Distance driven in kilometers."),
           "fuel_liters": _n("Fuel used in liters.", minimum=0)},
          ["distance_km", "fuel_liters"]),
    # biology
    _tool("bio_gc_content", "Calculate the percentage of G and C bases in a DNA sequence.",
          {"sequence": _s("DNA sequence of the letters A, C, G and T.")},
          ["sequence"]),
    _tool("bio_dna_complement",
          "Return the complementary strand of a DNA sequence (A pairs with T, C pairs with G).",
          {"sequence": _s("DNA sequence of the letters A, C, G and T."),
           "reverse": _b("Whether to return the reverse complement.")},
          ["sequence"]),
    # real estate
    _tool("realestate_property_tax",
          "Calculate the yearly property tax from a home's assessed value and the tax rate in percent.",
          {"assessed_value": _n("Assessed value of the property."),
           "tax_rate_percent": _n("Property tax rate in percent, e.g. 1.1 for 1.1%.")},
          ["assessed_value", "tax_rate_percent"]),
    _tool("realestate_price_per_square_meter",
          "Calculate the price per square meter of a property from its price and floor area.",
          {"price": _n("Price of the property."),
           "area_m2": _n("Floor area in square meters.")},
          ["price", "area_m2"]),
    _tool("realestate_rental_yield",
          "Calculate the gross rental yield in percent from the yearly rent and the purchase price of a property.",
          {"annual_rent": _n("Rent collected per year."),
           "property_price": _n("Purchase price of the property.")},
          ["annual_rent", "property_price"]),
    # language
    _tool("language_native_speakers", "Get the number of native speakers of a language.",
          {"language": _s("Language name in English, e.g. 'Portuguese'.")},
          ["language"]),
    _tool("language_count_syllables", "Count the syllables in an English word.",
          {"word": _s("The word.")},
          ["word"]),
    # film and art
    _tool("movie_box_office", "Get the worldwide box-office gross of a film in US dollars.",
          {"title": _s("Film title."),
           "year": _i("Release year, to tell apart films with the same title.", minimum=1888)},
          ["title"]),
    _tool("movie_cast", "List the main actors of a film (the cast only, not the crew).",
          {"title": _s("Film title.")},
          ["title"]),
    _tool("art_museum_opening_hours", "Get a museum's opening hours on a date.",
          {"museum": _s("Museum name."),
           "date": _s(_DATE)},
          ["museum", "date"]),
    _tool("art_artwork_info", "Get the artist, year and current location of a famous artwork.",
          {"title": _s("Title of the artwork.")},
          ["title"]),
    # computing and environment
    _tool("computing_download_time",
          "Calculate how long a download takes from the file size in megabytes and the connection speed in megabits per second.",
          {"file_size_mb": _n("File size in megabytes.", minimum=0),
           "speed_mbps": _n("Connection speed in megabits per second.")},
          ["file_size_mb", "speed_mbps"]),
    _tool("computing_data_size_convert",
          "Convert an amount of digital data between units (bytes, KB, MB, GB, TB).",
          {"value": _n("The amount to convert."),
           "from_unit": _e("Unit of the value.", ["B", "KB", "MB", "GB", "TB"]),
           "to_unit": _e("Unit to convert to.", ["B", "KB", "MB", "GB", "TB"])},
          ["value", "from_unit", "to_unit"]),
    _tool("environment_flight_emissions",
          "Estimate the CO2 emissions in kilograms of one passenger on a flight from the distance and cabin class.",
          {"distance_km": _n("Flight distance in kilometers.", minimum=0),
           "cabin_class": _e("Cabin class.", ["economy", "premium_economy", "business", "first"])},
          ["distance_km", "cabin_class"]),
]

TOOLS: dict[str, dict] = {t["function"]["name"]: t for t in _TOOL_LIST}


def _call(name: str, **arguments: Any) -> dict:
    return {"name": name, "arguments": arguments}


# ---------------------------------------------------------------------------
# Dev set (for tuning)
# ---------------------------------------------------------------------------

DEV_CASES: list[dict] = [
    # --- tool cases ---
    {"id": "dev-t01", "prompt": "How's the weather in Berlin today?",
     "tools": ["get_news", "get_weather"],
     "expected": _call("get_weather", city="Berlin")},
    {"id": "dev-t02", "prompt": "What's the forecast for Miami for the next 7 days?",
     "tools": ["get_weather", "get_weather_forecast", "get_time_zone"],
     "expected": _call("get_weather_forecast", city="Miami", days=7)},
    {"id": "dev-t03", "prompt": "Convert 75 euros to British pounds.",
     "tools": ["unit_convert", "convert_currency"],
     "expected": _call("convert_currency", amount=75, from_currency="EUR", to_currency="GBP")},
    {"id": "dev-t04", "prompt": "What's the USD to INR exchange rate today?",
     "tools": ["calculator", "convert_currency", "get_exchange_rate"],
     "expected": _call("get_exchange_rate", base="USD", quote="INR")},
    {"id": "dev-t05", "prompt": "Email sam@example.org with the subject 'Dinner' and say I'll bring dessert.",
     "tools": ["send_email", "send_sms"],
     "expected": _call("send_email", to="sam@example.org", subject="Dinner")},
    {"id": "dev-t06", "prompt": "Set a timer for 12 minutes.",
     "tools": ["set_alarm", "set_timer"],
     "expected": _call("set_timer", minutes=12)},
    {"id": "dev-t07", "prompt": "Translate 'I love this city' into French.",
     "tools": ["lookup_word", "translate_text", "search_web"],
     "expected": _call("translate_text", text="I love this city", target_language="French")},
    {"id": "dev-t08", "prompt": "What's the stock price of TSLA?",
     "tools": ["get_stock_price", "get_exchange_rate"],
     "expected": _call("get_stock_price", ticker="TSLA")},
    {"id": "dev-t09", "prompt": "Turn on the lights in the office.",
     "tools": ["set_thermostat", "play_music", "turn_on_lights"],
     "expected": _call("turn_on_lights", room="office")},
    {"id": "dev-t10", "prompt": "Add 'buy milk' to my to-do list.",
     "tools": ["create_note", "add_todo"],
     "expected": _call("add_todo", task="buy milk")},
    {"id": "dev-t11", "prompt": "Is 97 prime?",
     "tools": ["calculator", "is_prime"],
     "expected": _call("is_prime", n=97)},
    {"id": "dev-t12", "prompt": "Roll 4 dice with 6 sides.",
     "tools": ["roll_dice", "is_prime", "calculator"],
     "expected": _call("roll_dice", sides=6, count=4)},
    {"id": "dev-t13", "prompt": "Find a Mexican restaurant in San Diego.",
     "tools": ["reserve_table", "get_directions", "find_restaurant"],
     "expected": _call("find_restaurant", cuisine="Mexican", city="San Diego")},
    {"id": "dev-t14", "prompt": "Where's my order B-5521?",
     "tools": ["check_order_status", "track_package"],
     "expected": _call("check_order_status", order_id="B-5521")},
    {"id": "dev-t15", "prompt": "Convert 30 centimeters to inches.",
     "tools": ["convert_currency", "unit_convert"],
     "expected": _call("unit_convert", value=30, from_unit="centimeters", to_unit="inches")},
    {"id": "dev-t16", "prompt": "Book a flight from Seattle to Honolulu on 2025-12-19 for 2 passengers.",
     "tools": ["get_weather", "book_flight", "get_directions", "get_time_zone"],
     "expected": _call("book_flight", origin="Seattle", destination="Honolulu",
                       date="2025-12-19", passengers=2)},
    {"id": "dev-t17", "prompt": "Get me driving directions from Oakland to Sacramento.",
     "tools": ["get_directions", "find_restaurant"],
     "expected": _call("get_directions", origin="Oakland", destination="Sacramento", mode="driving")},
    {"id": "dev-t18", "prompt": "Create a note called 'Wifi' with the content 'password is bluefern42'.",
     "tools": ["send_email", "add_todo", "create_note"],
     "expected": _call("create_note", title="Wifi", content="password is bluefern42")},
    {"id": "dev-t19", "prompt": "Show me 4 news articles about renewable energy.",
     "tools": ["search_web", "get_news"],
     "expected": _call("get_news", topic="renewable energy", count=4)},
    {"id": "dev-t20", "prompt": "Play 'Clair de Lune' by Debussy.",
     "tools": ["play_music", "lookup_word"],
     "expected": _call("play_music", song="Clair de Lune", artist="Debussy")},
    {"id": "dev-t21", "prompt": "Schedule a meeting with dana@acme.com on 2025-08-11 to discuss hiring.",
     "tools": ["create_calendar_event", "send_email", "schedule_meeting"],
     "expected": _call("schedule_meeting", attendees=["dana@acme.com"], date="2025-08-11",
                       topic="hiring")},
    # --- added for threshold tuning: varied phrasing (indirect, casual, with context) ---
    {"id": "dev-t22", "prompt": "I'm heading to Lisbon tomorrow, do I need an umbrella there right now?",
     "tools": ["get_weather", "book_flight", "get_time_zone"],
     "expected": _call("get_weather", city="Lisbon")},
    {"id": "dev-t23", "prompt": "could u check what 1,250 Japanese yen comes to in Canadian dollars",
     "tools": ["convert_currency", "get_stock_price"],
     "expected": _call("convert_currency", amount=1250, from_currency="JPY", to_currency="CAD")},
    {"id": "dev-t24", "prompt": "Text +1 555 0199 that I'm running 10 minutes late.",
     "tools": ["send_email", "send_sms", "set_timer"],
     "expected": _call("send_sms", phone_number="555 0199")},
    {"id": "dev-t25", "prompt": "Put a dentist appointment in my calendar on 2026-02-03 at 09:30 for 45 minutes.",
     "tools": ["add_todo", "create_calendar_event", "set_alarm"],
     "expected": _call("create_calendar_event", title="dentist", date="2026-02-03", start_time="09:30",
                       duration_minutes=45)},
    {"id": "dev-t26", "prompt": "Wake me up at 06:15 every day.",
     "tools": ["set_timer", "set_alarm"],
     "expected": _call("set_alarm", time="06:15", repeat_daily=True)},
    {"id": "dev-t27", "prompt": "Define 'quixotic' for me, I keep seeing it.",
     "tools": ["translate_text", "lookup_word"],
     "expected": _call("lookup_word", word="quixotic")},
    {"id": "dev-t28", "prompt": "I need to know how much 17.5% of 3,480 is, exactly.",
     "tools": ["calculator", "unit_convert", "is_prime"],
     "expected": _call("calculator")},
    {"id": "dev-t29", "prompt": "Look up the latest research on sleep and memory online.",
     "tools": ["get_news", "search_web", "lookup_word"],
     "expected": _call("search_web")},
    {"id": "dev-t30", "prompt": "my pizza order is #A77-310, any update on it?",
     "tools": ["order_pizza", "check_order_status", "track_package"],
     "expected": _call("check_order_status", order_id="A77-310")},
    {"id": "dev-t31", "prompt": "Where is my parcel? The FedEx number is 7712 3390 1184.",
     "tools": ["check_order_status", "track_package"],
     "expected": _call("track_package", tracking_number="7712 3390 1184")},
    {"id": "dev-t32", "prompt": "Could you get me a large pizza with mushrooms and olives?",
     "tools": ["find_restaurant", "order_pizza"],
     "expected": _call("order_pizza", size="large", toppings=["mushrooms", "olives"])},
    {"id": "dev-t33", "prompt": "It's freezing in here, make the living room 22 degrees.",
     "tools": ["turn_on_lights", "set_thermostat", "get_weather"],
     "expected": _call("set_thermostat", temperature=22, room="living room")},
    {"id": "dev-t34", "prompt": "Which time zone is Auckland in?",
     "tools": ["get_time_zone", "get_weather"],
     "expected": _call("get_time_zone", city="Auckland")},
    {"id": "dev-t35", "prompt": "Find every spreadsheet ending in .xlsx under ~/reports.",
     "tools": ["search_files", "search_web"],
     "expected": _call("search_files", pattern="*.xlsx", directory="~/reports")},
    {"id": "dev-t36", "prompt": "When is Dune playing in Denver on 2026-01-09?",
     "tools": ["get_movie_showtimes", "get_news", "get_directions"],
     "expected": _call("get_movie_showtimes", movie="Dune", city="Denver", date="2026-01-09")},
    {"id": "dev-t37", "prompt": "Grab us a table for 6 at Luigi's at 19:45 please.",
     "tools": ["find_restaurant", "reserve_table"],
     "expected": _call("reserve_table", restaurant="Luigi's", party_size=6, time="19:45")},
    {"id": "dev-t38", "prompt": "I want to hear some Miles Davis, shuffled.",
     "tools": ["play_music", "get_news"],
     "expected": _call("play_music", artist="Miles Davis", shuffle=True)},
    {"id": "dev-t39", "prompt": "How do I walk from the Louvre to the Eiffel Tower?",
     "tools": ["get_directions", "get_weather", "find_restaurant"],
     "expected": _call("get_directions", origin="Louvre", destination="Eiffel Tower", mode="walking")},
    {"id": "dev-t40", "prompt": "Remind me on my task list to renew my passport, it's urgent.",
     "tools": ["add_todo", "send_email", "create_note"],
     "expected": _call("add_todo", priority="high")},
    {"id": "dev-t41", "prompt": "Flip a coin for me -- well, roll a 2-sided die.",
     "tools": ["roll_dice", "calculator"],
     "expected": _call("roll_dice", sides=2)},
    {"id": "dev-t42", "prompt": "Is 221 a prime number or not?",
     "tools": ["is_prime", "roll_dice", "lookup_word"],
     "expected": _call("is_prime", n=221)},
    {"id": "dev-t43", "prompt": "How many pounds is 68 kilograms?",
     "tools": ["unit_convert", "convert_currency", "calculator"],
     "expected": _call("unit_convert", value=68, from_unit="kilograms", to_unit="pounds")},
    {"id": "dev-t44", "prompt": "Give me the 3-day outlook for Reykjavik.",
     "tools": ["get_weather_forecast", "get_time_zone"],
     "expected": _call("get_weather_forecast", city="Reykjavik", days=3)},
    {"id": "dev-t45", "prompt": "How much is one Swiss franc worth in euros at the moment?",
     "tools": ["get_exchange_rate", "get_stock_price"],
     "expected": _call("get_exchange_rate", base="CHF", quote="EUR")},
    {"id": "dev-t46", "prompt": "What are people saying in the news about the chip shortage?",
     "tools": ["get_news", "search_files"],
     "expected": _call("get_news", topic="chip shortage")},
    {"id": "dev-t47", "prompt": "Say 'where is the train station' in German for me.",
     "tools": ["translate_text", "get_directions"],
     "expected": _call("translate_text", target_language="German")},
    {"id": "dev-t48", "prompt": "Invite priya@corp.io and leo@corp.io to a budget review on 2026-03-17.",
     "tools": ["schedule_meeting", "send_email", "create_calendar_event"],
     "expected": _call("schedule_meeting", attendees=["priya@corp.io", "leo@corp.io"], date="2026-03-17",
                       topic="budget")},
    {"id": "dev-t49", "prompt": "Jot down a note titled 'Gift ideas' saying 'scarf, board game, tea'.",
     "tools": ["create_note", "add_todo"],
     "expected": _call("create_note", title="Gift ideas", content="scarf, board game, tea")},
    {"id": "dev-t50", "prompt": "Start a 25 minute focus timer called pomodoro.",
     "tools": ["set_timer", "set_alarm", "play_music"],
     "expected": _call("set_timer", minutes=25, label="pomodoro")},
    {"id": "dev-t51", "prompt": "NVDA -- how's it trading right now?",
     "tools": ["get_stock_price", "get_news"],
     "expected": _call("get_stock_price", ticker="NVDA")},
    {"id": "dev-t52", "prompt": "Please send an email to ops@example.net, subject 'Outage', telling them the server is down.",
     "tools": ["send_sms", "send_email", "create_note"],
     "expected": _call("send_email", to="ops@example.net", subject="Outage")},
    {"id": "dev-t53", "prompt": "Dim the bedroom lights to 30 percent.",
     "tools": ["turn_on_lights", "set_thermostat"],
     "expected": _call("turn_on_lights", room="bedroom", brightness=30)},
    {"id": "dev-t54", "prompt": "I'd like to fly from Madrid to Rome on 2026-05-02.",
     "tools": ["book_flight", "get_directions", "get_weather"],
     "expected": _call("book_flight", origin="Madrid", destination="Rome", date="2026-05-02")},
    {"id": "dev-t55", "prompt": "Any cheap Korean places to eat in Toronto?",
     "tools": ["find_restaurant", "reserve_table", "get_directions"],
     "expected": _call("find_restaurant", cuisine="Korean", city="Toronto")},
    # --- added 2026-11-29: one of several similar tools ---
    {"id": "dev-t56", "prompt": "Area of a triangle with base 6 and height 4?",
     "tools": ["calculate_rectangle_area", "calculate_triangle_area", "calculate_hypotenuse"],
     "expected": _call("calculate_triangle_area", base=6, height=4)},
    {"id": "dev-t57", "prompt": "What's the circumference of a wheel with a 35 cm radius?",
     "tools": ["calculate_circumference", "calculate_circle_area"],
     "expected": _call("calculate_circumference", radius=35)},
    {"id": "dev-t58", "prompt": "Work out 7 factorial for me.",
     "tools": ["calculate_factorial", "is_prime", "greatest_common_divisor"],
     "expected": _call("calculate_factorial", n=7)},
    {"id": "dev-t59", "prompt": "Greatest common divisor of 48 and 180?",
     "tools": ["greatest_common_divisor", "calculate_mean"],
     "expected": _call("greatest_common_divisor", a=48, b=180)},
    {"id": "dev-t60", "prompt": "Find the roots of the quadratic with a=1, b=4, c=-21.",
     "tools": ["solve_quadratic", "calculate_factorial", "calculator"],
     "expected": _call("solve_quadratic", a=1, b=4, c=-21)},
    {"id": "dev-t61", "prompt": "Mean of 5, 10, 15, 20 and 25?",
     "tools": ["calculate_mean", "calculate_standard_deviation"],
     "expected": _call("calculate_mean")},
    {"id": "dev-t62", "prompt": "It's 451 Fahrenheit, what's that in Celsius?",
     "tools": ["convert_temperature", "set_thermostat"],
     "expected": _call("convert_temperature", value=451, from_scale="fahrenheit", to_scale="celsius")},
    {"id": "dev-t63", "prompt": "My BMI? 64 kilos, 1.68 meters.",
     "tools": ["calculate_bmi", "calculate_heart_rate_zones"],
     "expected": _call("calculate_bmi", weight_kg=64, height_m=1.68)},
    {"id": "dev-t64", "prompt": "How much protein is in an egg?",
     "tools": ["get_nutrition_facts", "calculate_daily_calories", "find_restaurant"],
     "expected": _call("get_nutrition_facts", food="egg")},
    {"id": "dev-t65", "prompt": "Monthly repayment for borrowing 18000 over 5 years at 7%?",
     "tools": ["calculate_loan_payment", "calculate_compound_interest", "calculator"],
     "expected": _call("calculate_loan_payment", principal=18000, annual_rate=7, years=5)},
    {"id": "dev-t66", "prompt": "What will 10000 grow to in 15 years at 3.5% compounded annually?",
     "tools": ["calculate_compound_interest", "calculate_loan_payment"],
     "expected": _call("calculate_compound_interest", principal=10000, annual_rate=3.5, years=15)},
    {"id": "dev-t67", "prompt": "Tip 15 percent on a 42.50 bill.",
     "tools": ["calculate_tip", "convert_currency"],
     "expected": _call("calculate_tip", bill_amount=42.5, tip_percent=15)},
    {"id": "dev-t68", "prompt": "What's the going price of Solana (SOL)?",
     "tools": ["get_crypto_price", "get_stock_price"],
     "expected": _call("get_crypto_price", symbol="SOL")},
    {"id": "dev-t69", "prompt": "Give me GOOGL's closing prices for the past 30 days.",
     "tools": ["get_stock_history", "get_stock_price", "get_news"],
     "expected": _call("get_stock_history", ticker="GOOGL", days=30)},
    {"id": "dev-t70", "prompt": "What's the population of Nigeria right now?",
     "tools": ["get_population", "get_news"],
     "expected": _call("get_population", country="Nigeria")},
    {"id": "dev-t71", "prompt": "Straight-line distance between Rome and Vienna in km?",
     "tools": ["get_city_distance", "get_directions", "book_flight"],
     "expected": _call("get_city_distance", city_a="Rome", city_b="Vienna")},
    {"id": "dev-t72", "prompt": "How polluted is the air in Mexico City at the moment?",
     "tools": ["get_air_quality", "get_weather"],
     "expected": _call("get_air_quality", city="Mexico City")},
    {"id": "dev-t73", "prompt": "When is sunrise in Reykjavik on 2026-06-21?",
     "tools": ["get_sunrise_sunset", "get_time_zone"],
     "expected": _call("get_sunrise_sunset", city="Reykjavik", date="2026-06-21")},
    {"id": "dev-t74", "prompt": "If it's 08:30 in Berlin, what's the local time in Chicago?",
     "tools": ["convert_time", "get_time_zone", "get_weather"],
     "expected": _call("convert_time", time="08:30", from_city="Berlin", to_city="Chicago")},
    {"id": "dev-t75", "prompt": "Count the days from 2026-02-10 to 2026-05-01.",
     "tools": ["days_between_dates", "get_day_of_week"],
     "expected": _call("days_between_dates", start_date="2026-02-10", end_date="2026-05-01")},
    {"id": "dev-t76", "prompt": "Which day of the week is 2026-12-25?",
     "tools": ["get_day_of_week", "get_public_holidays", "days_between_dates"],
     "expected": _call("get_day_of_week", date="2026-12-25")},
    {"id": "dev-t77", "prompt": "How old is a person born 2001-07-04?",
     "tools": ["calculate_age", "get_day_of_week"],
     "expected": _call("calculate_age", birth_date="2001-07-04")},
    {"id": "dev-t78", "prompt": "What are the public holidays in Canada in 2027?",
     "tools": ["get_public_holidays", "get_time_zone"],
     "expected": _call("get_public_holidays", country="Canada", year=2027)},
    {"id": "dev-t79", "prompt": "Has LH400 landed yet?",
     "tools": ["get_flight_status", "book_flight"],
     "expected": _call("get_flight_status", flight_number="LH400")},
    {"id": "dev-t80", "prompt": "Show me flights from Oslo to Riga on 2026-09-09, I only want to compare options.",
     "tools": ["search_flights", "book_flight", "get_flight_status"],
     "expected": _call("search_flights", origin="Oslo", destination="Riga", date="2026-09-09")},
    {"id": "dev-t81", "prompt": "Reserve a hotel room in Porto, checking in 2026-06-18 for 2 nights.",
     "tools": ["book_hotel", "reserve_table"],
     "expected": _call("book_hotel", city="Porto", check_in="2026-06-18", nights=2)},
    {"id": "dev-t82", "prompt": "Tell the #dev Slack channel that the build is green.",
     "tools": ["send_slack_message", "send_sms", "send_email"],
     "expected": _call("send_slack_message", channel="dev")},
    {"id": "dev-t83", "prompt": "A few synonyms for 'fast', please.",
     "tools": ["get_synonyms", "lookup_word"],
     "expected": _call("get_synonyms", word="fast")},
    {"id": "dev-t84", "prompt": "How much water fits in a spherical tank of radius 2 m?",
     "tools": ["calculate_sphere_volume", "calculate_circle_area", "unit_convert"],
     "expected": _call("calculate_sphere_volume", radius=2)},
    {"id": "dev-t85", "prompt": "Legs of 5 and 12 - what's the hypotenuse?",
     "tools": ["calculate_hypotenuse", "calculate_triangle_area"],
     "expected": _call("calculate_hypotenuse", a=5, b=12)},
    {"id": "dev-t86", "prompt": "How many calories should I eat a day? I'm 30, 70 kg, 175 cm.",
     "tools": ["calculate_daily_calories", "calculate_bmi", "get_nutrition_facts"],
     "expected": _call("calculate_daily_calories", weight_kg=70, height_cm=175, age=30)},
    {"id": "dev-t87", "prompt": "Area of a 12 by 7 rectangle?",
     "tools": ["calculate_rectangle_area", "calculate_triangle_area"],
     "expected": _call("calculate_rectangle_area", length=12, width=7)},
    # --- no-tool cases ---
    {"id": "dev-n01", "prompt": "What's the largest ocean on Earth?",
     "tools": ["get_weather", "get_directions"], "expected": None},
    {"id": "dev-n02", "prompt": "Write a limerick about a cat.",
     "tools": ["calculator", "play_music"], "expected": None},
    {"id": "dev-n03", "prompt": "Hey, how's it going?",
     "tools": ["set_timer", "get_news", "get_weather"], "expected": None},
    {"id": "dev-n04", "prompt": "Who invented the telephone?",
     "tools": ["send_sms", "lookup_word"], "expected": None},
    {"id": "dev-n05", "prompt": "What was the coldest winter on record in Chicago?",
     "tools": ["get_weather", "get_weather_forecast"], "expected": None},
    {"id": "dev-n06", "prompt": "Translate 'hello' into Spanish.",
     "tools": ["send_email", "create_note"], "expected": None},
    {"id": "dev-n07", "prompt": "What's your favorite color?",
     "tools": ["turn_on_lights", "play_music"], "expected": None},
    {"id": "dev-n08", "prompt": "Explain what inflation means in simple terms.",
     "tools": ["convert_currency", "get_stock_price", "get_exchange_rate"], "expected": None},
    {"id": "dev-n09", "prompt": "Thank you so much!",
     "tools": ["add_todo", "send_email"], "expected": None},
    {"id": "dev-n10", "prompt": "How many legs does a spider have?",
     "tools": ["roll_dice", "search_files"], "expected": None},
    {"id": "dev-n11", "prompt": "Give me some tips for a job interview.",
     "tools": ["schedule_meeting", "create_calendar_event"], "expected": None},
    {"id": "dev-n12", "prompt": "How fast does light travel?",
     "tools": ["get_directions", "set_timer"], "expected": None},
    {"id": "dev-n13", "prompt": "Is Pluto still considered a planet?",
     "tools": ["get_news", "search_files", "lookup_word"], "expected": None},
    {"id": "dev-n14", "prompt": "Can you recommend a movie for a rainy evening at home?",
     "tools": ["get_weather", "get_movie_showtimes"], "expected": None},    # --- added no-tool cases: knowledge, chit-chat, writing, and near-misses of offered tools ---
    {"id": "dev-n15", "prompt": "What is the boiling point of water at sea level in Celsius?",
     "tools": ["unit_convert", "get_weather"], "expected": None},
    {"id": "dev-n16", "prompt": "Give me a two-line summary of The Odyssey.",
     "tools": ["search_web", "get_movie_showtimes"], "expected": None},
    {"id": "dev-n17", "prompt": "Why do cats purr?",
     "tools": ["lookup_word", "play_music", "get_news"], "expected": None},
    {"id": "dev-n18", "prompt": "Write a Python function that reverses a string.",
     "tools": ["search_files", "calculator"], "expected": None},
    {"id": "dev-n19", "prompt": "Is a tornado the same thing as a hurricane?",
     "tools": ["get_weather", "get_weather_forecast", "get_news"], "expected": None},
    {"id": "dev-n20", "prompt": "hiya, hope your day is going well",
     "tools": ["set_alarm", "get_weather"], "expected": None},
    {"id": "dev-n21", "prompt": "Which planet is closest to the sun?",
     "tools": ["get_directions", "get_time_zone"], "expected": None},
    {"id": "dev-n22", "prompt": "Book me a hotel room in Vienna for next weekend.",
     "tools": ["book_flight", "find_restaurant", "reserve_table"], "expected": None},
    {"id": "dev-n23", "prompt": "Order me a sushi platter for delivery.",
     "tools": ["order_pizza", "find_restaurant"], "expected": None},
    {"id": "dev-n24", "prompt": "Suggest a name for my new puppy.",
     "tools": ["create_note", "search_web"], "expected": None},
    {"id": "dev-n25", "prompt": "What is the capital city of Australia?",
     "tools": ["get_time_zone", "get_weather", "book_flight"], "expected": None},
    {"id": "dev-n26", "prompt": "Call my sister.",
     "tools": ["send_email", "play_music"], "expected": None},
    {"id": "dev-n27", "prompt": "Explain how compound interest works with a simple example.",
     "tools": ["calculator", "get_exchange_rate"], "expected": None},
    {"id": "dev-n28", "prompt": "Can you tell me a fun fact about octopuses?",
     "tools": ["get_news", "roll_dice"], "expected": None},
    # --- added 2026-11-29: near misses (a related tool that cannot do what is asked) ---
    {"id": "dev-n29", "prompt": "What's the area of a trapezoid with bases 3 and 5 and height 4?",
     "tools": ["calculate_triangle_area", "calculate_rectangle_area"], "expected": None},
    {"id": "dev-n30", "prompt": "What's the volume of a cylinder with radius 2 and height 5?",
     "tools": ["calculate_sphere_volume", "calculate_hypotenuse"], "expected": None},
    {"id": "dev-n31", "prompt": "Calculate the hypotenuse of a triangle with legs 3 and 4.",
     "tools": ["calculate_bmi", "calculate_heart_rate_zones"], "expected": None},
    {"id": "dev-n32", "prompt": "What's the BMI of someone 90 kg and 1.9 m tall?",
     "tools": ["calculate_triangle_area", "calculate_circle_area"], "expected": None},
    {"id": "dev-n33", "prompt": "Convert 5 feet to centimeters.",
     "tools": ["convert_temperature", "convert_currency"], "expected": None},
    {"id": "dev-n34", "prompt": "How many grams are in a cup of flour?",
     "tools": ["convert_currency", "calculate_tip"], "expected": None},
    {"id": "dev-n35", "prompt": "Convert 1000 yen to dollars.",
     "tools": ["convert_temperature", "unit_convert"], "expected": None},
    {"id": "dev-n36", "prompt": "What's the stock price of Microsoft?",
     "tools": ["get_crypto_price", "get_population"], "expected": None},
    {"id": "dev-n37", "prompt": "How many people live in London?",
     "tools": ["get_population", "get_air_quality"], "expected": None},
    {"id": "dev-n38", "prompt": "Cancel my flight to Berlin.",
     "tools": ["book_flight", "get_flight_status"], "expected": None},
    {"id": "dev-n39", "prompt": "Edit my last Slack message to fix a typo.",
     "tools": ["send_slack_message", "send_sms"], "expected": None},
    {"id": "dev-n40", "prompt": "What's the mode of 2, 2, 3, 5, 5, 5, 8?",
     "tools": ["calculate_mean", "calculate_standard_deviation"], "expected": None},
    {"id": "dev-n41", "prompt": "Integrate 3x^2 from 0 to 2.",
     "tools": ["solve_quadratic", "greatest_common_divisor"], "expected": None},
    {"id": "dev-n42", "prompt": "What's a healthy resting heart rate for an adult?",
     "tools": ["calculate_heart_rate_zones", "calculate_bmi"], "expected": None},
    {"id": "dev-n43", "prompt": "How much capital gains tax will I pay on a 5,000 profit from selling shares?",
     "tools": ["calculate_compound_interest", "get_stock_price"], "expected": None},
    {"id": "dev-n44", "prompt": "Will it snow in Montreal next month?",
     "tools": ["get_weather", "get_air_quality"], "expected": None},
    {"id": "dev-n45", "prompt": "Translate 'thank you' into Swahili.",
     "tools": ["get_synonyms", "lookup_word"], "expected": None},
    {"id": "dev-n46", "prompt": "What's an antonym of 'ancient'?",
     "tools": ["get_synonyms", "translate_text"], "expected": None},
    {"id": "dev-n47", "prompt": "Rent me a bike in Amsterdam for tomorrow.",
     "tools": ["book_hotel", "reserve_table"], "expected": None},
    {"id": "dev-n48", "prompt": "Was 2000 a leap year?",
     "tools": ["get_day_of_week", "days_between_dates"], "expected": None},
    {"id": "dev-n49", "prompt": "What's the perimeter of a rectangle 4 by 9?",
     "tools": ["calculate_rectangle_area", "calculate_circumference"], "expected": None},
    {"id": "dev-n50", "prompt": "What's the half-life of carbon-14?",
     "tools": ["calculate_factorial", "convert_temperature"], "expected": None},
    {"id": "dev-n51", "prompt": "How many atoms are in a mole?",
     "tools": ["calculate_bmi", "calculate_mean"], "expected": None},
    {"id": "dev-n52", "prompt": "What's the chance of drawing an ace from a deck of cards?",
     "tools": ["roll_dice", "calculate_factorial"], "expected": None},
    {"id": "dev-n53", "prompt": "Which city has the most people in the world?",
     "tools": ["get_population", "get_city_distance"], "expected": None},
    {"id": "dev-n54", "prompt": "How far is the Sun from the Earth?",
     "tools": ["get_city_distance", "get_directions"], "expected": None},
    {"id": "dev-n55", "prompt": "Find me hotels in Paris under 100 euros a night.",
     "tools": ["book_hotel", "book_flight"], "expected": None},
    {"id": "dev-n56", "prompt": "Video call my mom.",
     "tools": ["send_sms", "send_slack_message"], "expected": None},
    {"id": "dev-n57", "prompt": "What's the cube root of 27?",
     "tools": ["calculate_factorial", "greatest_common_divisor"], "expected": None},
]


# ---------------------------------------------------------------------------
# Eval set (held out; do not tune against it)
# ---------------------------------------------------------------------------

EVAL_CASES: list[dict] = [
    # --- tool cases ---
    {"id": "eval-t01", "prompt": "What's the weather like in Paris right now? Celsius please.",
     "tools": ["send_email", "get_weather", "get_stock_price"],
     "expected": _call("get_weather", city="Paris", unit="celsius")},
    {"id": "eval-t02", "prompt": "Is it raining in Seattle at the moment?",
     "tools": ["get_weather_forecast", "search_web", "get_weather"],
     "expected": _call("get_weather", city="Seattle")},
    {"id": "eval-t03", "prompt": "Give me the 5-day forecast for Chicago.",
     "tools": ["get_weather", "get_weather_forecast", "get_news"],
     "expected": _call("get_weather_forecast", city="Chicago", days=5)},
    {"id": "eval-t04", "prompt": "Convert 250 US dollars to euros.",
     "tools": ["get_exchange_rate", "convert_currency", "calculator"],
     "expected": _call("convert_currency", amount=250, from_currency="USD", to_currency="EUR")},
    {"id": "eval-t05", "prompt": "What's the current exchange rate from GBP to JPY?",
     "tools": ["convert_currency", "get_exchange_rate"],
     "expected": _call("get_exchange_rate", base="GBP", quote="JPY")},
    {"id": "eval-t06", "prompt": "How many Canadian dollars would I get for 1200 Swiss francs?",
     "tools": ["get_exchange_rate", "get_stock_price", "convert_currency"],
     "expected": _call("convert_currency", amount=1200, from_currency="CHF", to_currency="CAD")},
    {"id": "eval-t07",
     "prompt": "Send an email to maria@example.com with the subject 'Quarterly report' and tell her the draft is ready for review.",
     "tools": ["send_sms", "send_email", "create_note"],
     "expected": _call("send_email", to="maria@example.com", subject="Quarterly report")},
    {"id": "eval-t08", "prompt": "Text 555-867-5309 saying I'm running 10 minutes late.",
     "tools": ["send_email", "send_sms"],
     "expected": _call("send_sms", phone_number="555-867-5309")},
    {"id": "eval-t09",
     "prompt": "Put 'Dentist appointment' on my calendar for 2025-03-14 at 09:30 for 45 minutes.",
     "tools": ["add_todo", "create_calendar_event", "set_alarm"],
     "expected": _call("create_calendar_event", title="Dentist appointment", date="2025-03-14",
                       start_time="09:30", duration_minutes=45)},
    {"id": "eval-t10",
     "prompt": "Schedule a meeting with alice@corp.com and bob@corp.com on 2025-07-02 about the budget review.",
     "tools": ["create_calendar_event", "send_email", "schedule_meeting"],
     "expected": _call("schedule_meeting", attendees=["alice@corp.com", "bob@corp.com"],
                       date="2025-07-02", topic="budget review")},
    {"id": "eval-t11", "prompt": "Search the web for the latest Python release notes.",
     "tools": ["lookup_word", "search_web"],
     "expected": _call("search_web", query="Python")},
    {"id": "eval-t12", "prompt": "What is 17.5% of 2840?",
     "tools": ["calculator", "convert_currency", "is_prime"],
     "expected": _call("calculator")},
    {"id": "eval-t13", "prompt": "Is 7919 a prime number?",
     "tools": ["calculator", "is_prime", "roll_dice"],
     "expected": _call("is_prime", n=7919)},
    {"id": "eval-t14", "prompt": "Roll 2 dice with 20 sides each.",
     "tools": ["is_prime", "calculator", "roll_dice"],
     "expected": _call("roll_dice", sides=20, count=2)},
    {"id": "eval-t15", "prompt": "Set a timer for 25 minutes labeled 'pomodoro'.",
     "tools": ["set_alarm", "set_timer"],
     "expected": _call("set_timer", minutes=25, label="pomodoro")},
    {"id": "eval-t16", "prompt": "Set an alarm for 06:45 tomorrow morning.",
     "tools": ["set_timer", "set_alarm", "add_todo"],
     "expected": _call("set_alarm", time="06:45")},
    {"id": "eval-t17", "prompt": "Translate 'Where is the train station?' into German.",
     "tools": ["lookup_word", "translate_text", "search_web"],
     "expected": _call("translate_text", text="Where is the train station?", target_language="German")},
    {"id": "eval-t18", "prompt": "What does the word 'ephemeral' mean?",
     "tools": ["translate_text", "lookup_word"],
     "expected": _call("lookup_word", word="ephemeral")},
    {"id": "eval-t19", "prompt": "How is NVDA stock doing today?",
     "tools": ["get_news", "get_exchange_rate", "get_stock_price"],
     "expected": _call("get_stock_price", ticker="NVDA")},
    {"id": "eval-t20", "prompt": "Book a flight from Boston to Denver on 2025-05-20 for 3 passengers.",
     "tools": ["book_flight", "find_restaurant", "get_directions"],
     "expected": _call("book_flight", origin="Boston", destination="Denver", date="2025-05-20",
                       passengers=3)},
    {"id": "eval-t21", "prompt": "Play some Taylor Swift.",
     "tools": ["play_music", "search_web"],
     "expected": _call("play_music", artist="Taylor Swift")},
    {"id": "eval-t22", "prompt": "Put on 'Bohemian Rhapsody' by Queen.",
     "tools": ["get_news", "lookup_word", "play_music"],
     "expected": _call("play_music", artist="Queen", song="Bohemian Rhapsody")},
    {"id": "eval-t23", "prompt": "Turn on the kitchen lights at 60% brightness.",
     "tools": ["set_thermostat", "turn_on_lights"],
     "expected": _call("turn_on_lights", room="kitchen", brightness=60)},
    {"id": "eval-t24", "prompt": "Can you set the living room to 21.5 degrees?",
     "tools": ["turn_on_lights", "set_thermostat", "get_weather"],
     "expected": _call("set_thermostat", temperature=21.5, room="living room")},
    {"id": "eval-t25", "prompt": "Add 'renew passport' to my to-do list with high priority.",
     "tools": ["create_note", "create_calendar_event", "add_todo"],
     "expected": _call("add_todo", task="renew passport", priority="high")},
    {"id": "eval-t26",
     "prompt": "Make a note titled 'Gift ideas' with the content 'scarf, board game, coffee beans'.",
     "tools": ["add_todo", "send_email", "create_note"],
     "expected": _call("create_note", title="Gift ideas", content="scarf, board game, coffee beans")},
    {"id": "eval-t27", "prompt": "Show me the top 5 news stories about electric vehicles.",
     "tools": ["search_web", "get_news"],
     "expected": _call("get_news", topic="electric vehicles", count=5)},
    {"id": "eval-t28", "prompt": "Find a Thai restaurant in Austin with a max price level of 2.",
     "tools": ["reserve_table", "find_restaurant", "get_directions"],
     "expected": _call("find_restaurant", cuisine="Thai", city="Austin", max_price=2)},
    {"id": "eval-t29", "prompt": "Reserve a table for 4 at Luigi's at 19:30.",
     "tools": ["find_restaurant", "order_pizza", "reserve_table"],
     "expected": _call("reserve_table", restaurant="Luigi's", party_size=4, time="19:30")},
    {"id": "eval-t30", "prompt": "Order a large pizza with mushrooms and olives.",
     "tools": ["order_pizza", "check_order_status"],
     "expected": _call("order_pizza", size="large", toppings=["mushrooms", "olives"])},
    {"id": "eval-t31", "prompt": "Where is my order? The order number is A-10423.",
     "tools": ["track_package", "check_order_status", "send_email"],
     "expected": _call("check_order_status", order_id="A-10423")},
    {"id": "eval-t32", "prompt": "Track my UPS package 1Z999AA10123456784.",
     "tools": ["check_order_status", "track_package"],
     "expected": _call("track_package", tracking_number="1Z999AA10123456784", carrier="UPS")},
    {"id": "eval-t33", "prompt": "How many kilograms is 150 pounds?",
     "tools": ["convert_currency", "unit_convert", "calculator"],
     "expected": _call("unit_convert", value=150, from_unit="pounds", to_unit="kilograms")},
    {"id": "eval-t34", "prompt": "What time zone is Tokyo in?",
     "tools": ["get_time_zone", "get_weather"],
     "expected": _call("get_time_zone", city="Tokyo")},
    {"id": "eval-t35", "prompt": "Look for any .csv files in /home/me/data.",
     "tools": ["search_web", "search_files"],
     "expected": _call("search_files", pattern=".csv", directory="/home/me/data")},
    {"id": "eval-t36", "prompt": "Give me walking directions from Union Square to the Ferry Building.",
     "tools": ["get_directions", "find_restaurant", "get_time_zone"],
     "expected": _call("get_directions", origin="Union Square", destination="Ferry Building",
                       mode="walking")},
    {"id": "eval-t37", "prompt": "When is Oppenheimer playing in Portland on 2025-02-08?",
     "tools": ["search_web", "get_news", "get_movie_showtimes"],
     "expected": _call("get_movie_showtimes", movie="Oppenheimer", city="Portland", date="2025-02-08")},
    {"id": "eval-t38", "prompt": "Convert 3.5 liters to cups.",
     "tools": ["unit_convert", "calculator"],
     "expected": _call("unit_convert", value=3.5, from_unit="liters", to_unit="cups")},
    {"id": "eval-t39",
     "prompt": "Email team@startup.io with the subject 'Standup moved' and the body 'Standup is at 10:15 today.'",
     "tools": ["schedule_meeting", "send_email", "send_sms"],
     "expected": _call("send_email", to="team@startup.io", subject="Standup moved",
                       body="Standup is at 10:15 today.")},
    {"id": "eval-t40", "prompt": "Please book me on a flight from Madrid to Lisbon on 2025-09-03.",
     "tools": ["get_directions", "book_flight"],
     "expected": _call("book_flight", origin="Madrid", destination="Lisbon", date="2025-09-03")},
    {"id": "eval-t41", "prompt": "Could you check the price of MSFT shares?",
     "tools": ["get_stock_price", "get_exchange_rate", "get_news"],
     "expected": _call("get_stock_price", ticker="MSFT")},
    {"id": "eval-t42", "prompt": "What's 1500 Japanese yen in US dollars?",
     "tools": ["calculator", "get_exchange_rate", "convert_currency"],
     "expected": _call("convert_currency", amount=1500, from_currency="JPY", to_currency="USD")},
    {"id": "eval-t43", "prompt": "Is it going to be cold in Oslo over the next 3 days?",
     "tools": ["get_weather", "get_weather_forecast"],
     "expected": _call("get_weather_forecast", city="Oslo", days=3)},
    {"id": "eval-t44", "prompt": "Tell me the temperature in Phoenix in Fahrenheit.",
     "tools": ["set_thermostat", "get_time_zone", "get_weather"],
     "expected": _call("get_weather", city="Phoenix", unit="fahrenheit")},
    {"id": "eval-t45", "prompt": "Dim the bedroom lights to 20 percent.",
     "tools": ["turn_on_lights", "play_music"],
     "expected": _call("turn_on_lights", room="bedroom", brightness=20)},
    {"id": "eval-t46", "prompt": "I need to call the plumber, add it to my to-do list as low priority.",
     "tools": ["set_alarm", "add_todo", "send_sms"],
     "expected": _call("add_todo", task="plumber", priority="low")},
    {"id": "eval-t47", "prompt": "Roll a d6 for me.",
     "tools": ["is_prime", "roll_dice"],
     "expected": _call("roll_dice", sides=6)},
    {"id": "eval-t48", "prompt": "Set a 90 minute timer for the roast.",
     "tools": ["set_timer", "set_alarm", "create_calendar_event"],
     "expected": _call("set_timer", minutes=90)},
    {"id": "eval-t49", "prompt": "Calculate (48 * 12) / 3.2 for me.",
     "tools": ["unit_convert", "calculator"],
     "expected": _call("calculator")},
    {"id": "eval-t50", "prompt": "How do you say 'thank you very much' in Japanese?",
     "tools": ["send_email", "lookup_word", "translate_text"],
     "expected": _call("translate_text", text="thank you very much", target_language="Japanese")},
    {"id": "eval-t51", "prompt": "Define 'ubiquitous'.",
     "tools": ["lookup_word", "search_web", "translate_text"],
     "expected": _call("lookup_word", word="ubiquitous")},
    {"id": "eval-t52", "prompt": "Get me the latest 3 headlines on the Champions League.",
     "tools": ["play_music", "get_news", "search_web"],
     "expected": _call("get_news", topic="Champions League", count=3)},
    {"id": "eval-t53", "prompt": "Find Italian restaurants in Chicago.",
     "tools": ["find_restaurant", "reserve_table"],
     "expected": _call("find_restaurant", cuisine="Italian", city="Chicago")},
    {"id": "eval-t54", "prompt": "Book a table at Nopa for 2 people at 20:00 on 2025-04-18.",
     "tools": ["create_calendar_event", "find_restaurant", "reserve_table", "book_flight"],
     "expected": _call("reserve_table", restaurant="Nopa", party_size=2, time="20:00",
                       date="2025-04-18")},
    {"id": "eval-t55", "prompt": "I want a medium pepperoni pizza with extra cheese.",
     "tools": ["order_pizza", "find_restaurant", "check_order_status"],
     "expected": _call("order_pizza", size="medium", toppings=["pepperoni"], extra_cheese=True)},
    {"id": "eval-t56",
     "prompt": "How do I get from Denver Airport to Union Station by public transit?",
     "tools": ["book_flight", "get_time_zone", "get_directions"],
     "expected": _call("get_directions", origin="Denver Airport", destination="Union Station",
                       mode="transit")},
    {"id": "eval-t57", "prompt": "Convert 10 kilometers to miles.",
     "tools": ["get_directions", "unit_convert"],
     "expected": _call("unit_convert", value=10, from_unit="kilometers", to_unit="miles")},
    {"id": "eval-t58", "prompt": "Check if 221 is prime.",
     "tools": ["is_prime", "calculator"],
     "expected": _call("is_prime", n=221)},
    {"id": "eval-t59",
     "prompt": "Find all files named 'invoice' in my Documents folder, including hidden ones.",
     "tools": ["search_web", "search_files", "create_note"],
     "expected": _call("search_files", pattern="invoice", directory="Documents", include_hidden=True)},
    {"id": "eval-t60", "prompt": "Which time zone does Nairobi use?",
     "tools": ["get_weather", "get_directions", "get_time_zone"],
     "expected": _call("get_time_zone", city="Nairobi")},
    {"id": "eval-t61",
     "prompt": "Create a calendar event called 'Team offsite' on 2025-10-06 starting at 08:00.",
     "tools": ["schedule_meeting", "create_calendar_event"],
     "expected": _call("create_calendar_event", title="Team offsite", date="2025-10-06",
                       start_time="08:00")},
    {"id": "eval-t62", "prompt": "Send a text to +447700900123: 'Landed safely, see you soon.'",
     "tools": ["send_sms", "send_email", "translate_text"],
     "expected": _call("send_sms", phone_number="+447700900123",
                       message="Landed safely, see you soon")},
    {"id": "eval-t63", "prompt": "Shuffle some songs by Miles Davis.",
     "tools": ["get_news", "search_web", "play_music"],
     "expected": _call("play_music", artist="Miles Davis", shuffle=True)},
    {"id": "eval-t64", "prompt": "What's the exchange rate between the euro and the Swiss franc?",
     "tools": ["get_exchange_rate", "convert_currency", "get_stock_price"],
     "expected": _call("get_exchange_rate", base="EUR", quote="CHF")},
    {"id": "eval-t65", "prompt": "Set the thermostat to 68 degrees.",
     "tools": ["turn_on_lights", "get_weather", "set_thermostat"],
     "expected": _call("set_thermostat", temperature=68)},
    {"id": "eval-t66", "prompt": "Can you look up online how to descale an espresso machine?",
     "tools": ["lookup_word", "search_web", "create_note"],
     "expected": _call("search_web", query="espresso machine")},
    {"id": "eval-t67",
     "prompt": "Add an event 'Yoga class' on 2025-01-22 at 18:00 lasting 60 minutes.",
     "tools": ["add_todo", "set_alarm", "schedule_meeting", "create_calendar_event"],
     "expected": _call("create_calendar_event", title="Yoga class", date="2025-01-22",
                       start_time="18:00", duration_minutes=60)},
    {"id": "eval-t68", "prompt": "Please wake me up at 07:00 every day.",
     "tools": ["set_alarm", "set_timer", "set_thermostat", "play_music", "get_weather"],
     "expected": _call("set_alarm", time="07:00", repeat_daily=True)},
    {"id": "eval-t69", "prompt": "Could you find sushi places in Vancouver?",
     "tools": ["get_directions", "order_pizza", "reserve_table", "get_time_zone", "find_restaurant",
               "search_web"],
     "expected": _call("find_restaurant", cuisine="sushi", city="Vancouver")},
    # --- added 2026-11-29 (written before any tuning on them): one of several similar tools ---
    {"id": "eval-t70", "prompt": "What is the area of a circle with a radius of 7 cm?",
     "tools": ["calculate_circumference", "calculate_circle_area", "calculate_sphere_volume"],
     "expected": _call("calculate_circle_area", radius=7)},
    {"id": "eval-t71", "prompt": "A right triangle has legs of 9 and 12. How long is the hypotenuse?",
     "tools": ["calculate_triangle_area", "calculate_hypotenuse", "calculate_rectangle_area"],
     "expected": _call("calculate_hypotenuse", a=9, b=12)},
    {"id": "eval-t72", "prompt": "What's 10 factorial?",
     "tools": ["greatest_common_divisor", "calculate_factorial", "is_prime"],
     "expected": _call("calculate_factorial", n=10)},
    {"id": "eval-t73", "prompt": "Find the GCD of 126 and 84.",
     "tools": ["calculate_factorial", "greatest_common_divisor"],
     "expected": _call("greatest_common_divisor", a=126, b=84)},
    {"id": "eval-t74", "prompt": "Solve the quadratic equation with a=2, b=-3 and c=-5.",
     "tools": ["calculator", "solve_quadratic"],
     "expected": _call("solve_quadratic", a=2, b=-3, c=-5)},
    {"id": "eval-t75", "prompt": "What's the average of 12, 19, 23 and 30?",
     "tools": ["calculate_standard_deviation", "calculate_mean", "calculator"],
     "expected": _call("calculate_mean")},
    {"id": "eval-t76", "prompt": "Convert 37 degrees Celsius to Fahrenheit.",
     "tools": ["convert_currency", "convert_temperature", "get_weather"],
     "expected": _call("convert_temperature", value=37, from_scale="celsius", to_scale="fahrenheit")},
    {"id": "eval-t77", "prompt": "I weigh 82 kg and I'm 1.80 m tall, what's my BMI?",
     "tools": ["calculate_daily_calories", "calculate_bmi", "calculate_heart_rate_zones"],
     "expected": _call("calculate_bmi", weight_kg=82, height_m=1.8)},
    {"id": "eval-t78", "prompt": "How many calories does 100 g of salmon have?",
     "tools": ["calculate_daily_calories", "get_nutrition_facts"],
     "expected": _call("get_nutrition_facts", food="salmon")},
    {"id": "eval-t79",
     "prompt": "If I put $3000 in savings at 4% a year compounded yearly, what will I have after 6 years?",
     "tools": ["calculate_loan_payment", "calculate_compound_interest", "convert_currency"],
     "expected": _call("calculate_compound_interest", principal=3000, annual_rate=4, years=6)},
    {"id": "eval-t80", "prompt": "What would the monthly payment be on a 250000 loan at 6.5% for 30 years?",
     "tools": ["calculate_compound_interest", "calculate_loan_payment"],
     "expected": _call("calculate_loan_payment", principal=250000, annual_rate=6.5, years=30)},
    {"id": "eval-t81", "prompt": "Work out a 20% tip on an 86 dollar dinner bill.",
     "tools": ["calculate_tip", "convert_currency", "calculate_loan_payment"],
     "expected": _call("calculate_tip", bill_amount=86, tip_percent=20)},
    {"id": "eval-t82", "prompt": "What's Bitcoin trading at right now?",
     "tools": ["get_stock_price", "get_crypto_price", "get_exchange_rate"],
     "expected": _call("get_crypto_price", symbol="BTC")},
    {"id": "eval-t83", "prompt": "Show me how AMZN closed each day over the last 10 days.",
     "tools": ["get_stock_price", "get_stock_history"],
     "expected": _call("get_stock_history", ticker="AMZN", days=10)},
    {"id": "eval-t84", "prompt": "How many people live in Brazil these days?",
     "tools": ["get_population", "get_city_distance", "get_time_zone"],
     "expected": _call("get_population", country="Brazil")},
    {"id": "eval-t85", "prompt": "How far apart are Madrid and Barcelona in a straight line?",
     "tools": ["get_directions", "get_city_distance"],
     "expected": _call("get_city_distance", city_a="Madrid", city_b="Barcelona")},
    {"id": "eval-t86", "prompt": "Is the air safe to breathe in Beijing today? Check the pollution level.",
     "tools": ["get_weather", "get_air_quality", "get_news"],
     "expected": _call("get_air_quality", city="Beijing")},
    {"id": "eval-t87", "prompt": "What time does the sun set in Cape Town on 2026-12-21?",
     "tools": ["get_weather_forecast", "get_sunrise_sunset", "get_time_zone"],
     "expected": _call("get_sunrise_sunset", city="Cape Town", date="2026-12-21")},
    {"id": "eval-t88", "prompt": "When it's 14:00 in New York, what time is it in Sydney?",
     "tools": ["get_time_zone", "convert_time"],
     "expected": _call("convert_time", time="14:00", from_city="New York", to_city="Sydney")},
    {"id": "eval-t89", "prompt": "How many days are there between 2026-03-01 and 2026-07-04?",
     "tools": ["get_day_of_week", "days_between_dates", "create_calendar_event"],
     "expected": _call("days_between_dates", start_date="2026-03-01", end_date="2026-07-04")},
    {"id": "eval-t90", "prompt": "What weekday will 2027-01-01 be?",
     "tools": ["days_between_dates", "get_day_of_week"],
     "expected": _call("get_day_of_week", date="2027-01-01")},
    {"id": "eval-t91", "prompt": "Someone born on 1988-11-23 - how old are they now?",
     "tools": ["days_between_dates", "calculate_age"],
     "expected": _call("calculate_age", birth_date="1988-11-23")},
    {"id": "eval-t92", "prompt": "List Japan's public holidays for 2026.",
     "tools": ["get_public_holidays", "create_calendar_event", "get_time_zone"],
     "expected": _call("get_public_holidays", country="Japan", year=2026)},
    {"id": "eval-t93", "prompt": "Is flight UA857 delayed?",
     "tools": ["search_flights", "book_flight", "get_flight_status"],
     "expected": _call("get_flight_status", flight_number="UA857")},
    {"id": "eval-t94",
     "prompt": "What flights go from Dublin to Boston on 2026-08-14? Just looking, don't book anything.",
     "tools": ["book_flight", "search_flights"],
     "expected": _call("search_flights", origin="Dublin", destination="Boston", date="2026-08-14")},
    {"id": "eval-t95", "prompt": "Book me a hotel in Kyoto for 4 nights from 2026-10-02.",
     "tools": ["book_flight", "reserve_table", "book_hotel"],
     "expected": _call("book_hotel", city="Kyoto", check_in="2026-10-02", nights=4)},
    {"id": "eval-t96", "prompt": "Post 'release 2.3 is out' in the #announcements Slack channel.",
     "tools": ["send_email", "send_slack_message", "send_sms"],
     "expected": _call("send_slack_message", channel="announcements")},
    {"id": "eval-t97", "prompt": "Give me some synonyms for 'brave'.",
     "tools": ["lookup_word", "get_synonyms", "translate_text"],
     "expected": _call("get_synonyms", word="brave")},
    {"id": "eval-t98", "prompt": "What's the volume of a ball with radius 5?",
     "tools": ["calculate_circle_area", "calculate_sphere_volume"],
     "expected": _call("calculate_sphere_volume", radius=5)},
    {"id": "eval-t99", "prompt": "Find the circumference of a circular track with radius 40 m.",
     "tools": ["calculate_circle_area", "calculate_circumference", "unit_convert"],
     "expected": _call("calculate_circumference", radius=40)},
    {"id": "eval-t100", "prompt": "Compute the standard deviation of 2, 4, 4, 4, 5, 5, 7, 9.",
     "tools": ["calculate_mean", "calculate_standard_deviation"],
     "expected": _call("calculate_standard_deviation")},
    {"id": "eval-t101", "prompt": "What are my heart-rate training zones? I'm 45.",
     "tools": ["calculate_bmi", "calculate_heart_rate_zones"],
     "expected": _call("calculate_heart_rate_zones", age=45)},
    {"id": "eval-t102", "prompt": "A rectangle is 8 by 3.5 - what's its area?",
     "tools": ["calculate_triangle_area", "calculate_rectangle_area", "calculate_circle_area"],
     "expected": _call("calculate_rectangle_area", length=8, width=3.5)},
    # --- no-tool cases ---
    {"id": "eval-n01", "prompt": "What is the capital of France?",
     "tools": ["get_weather", "send_email"], "expected": None},
    {"id": "eval-n02", "prompt": "Write a haiku about autumn.",
     "tools": ["calculator", "get_stock_price"], "expected": None},
    {"id": "eval-n03", "prompt": "Hi there! How are you doing today?",
     "tools": ["get_weather", "set_timer", "play_music"], "expected": None},
    {"id": "eval-n04", "prompt": "Who wrote Pride and Prejudice?",
     "tools": ["lookup_word", "translate_text"], "expected": None},
    {"id": "eval-n05", "prompt": "What was the hottest temperature ever recorded on Earth?",
     "tools": ["get_weather", "get_weather_forecast"], "expected": None},
    {"id": "eval-n06", "prompt": "Translate 'good night' into Italian.",
     "tools": ["send_email", "send_sms"], "expected": None},
    {"id": "eval-n07", "prompt": "Do you think cats or dogs make better pets?",
     "tools": ["find_restaurant", "order_pizza"], "expected": None},
    {"id": "eval-n08", "prompt": "Explain what a stock split is.",
     "tools": ["get_stock_price", "get_news"], "expected": None},
    {"id": "eval-n09", "prompt": "Thanks, that's all I needed!",
     "tools": ["send_email", "create_note", "add_todo"], "expected": None},
    {"id": "eval-n10", "prompt": "Tell me a joke about programmers.",
     "tools": ["search_files", "calculator"], "expected": None},
    {"id": "eval-n11", "prompt": "What's the difference between weather and climate?",
     "tools": ["get_weather", "get_time_zone"], "expected": None},
    {"id": "eval-n12", "prompt": "How many continents are there?",
     "tools": ["roll_dice", "is_prime"], "expected": None},
    {"id": "eval-n13", "prompt": "Can you recommend a good book to read on a long flight?",
     "tools": ["book_flight", "get_directions"], "expected": None},
    {"id": "eval-n14", "prompt": "Why is the sky blue?",
     "tools": ["get_weather", "turn_on_lights"], "expected": None},
    {"id": "eval-n15", "prompt": "What does a currency exchange rate actually represent?",
     "tools": ["get_exchange_rate", "convert_currency"], "expected": None},
    {"id": "eval-n16", "prompt": "Give me three tips for sleeping better.",
     "tools": ["set_alarm", "set_timer", "play_music"], "expected": None},
    {"id": "eval-n17", "prompt": "What's your name?",
     "tools": ["play_music", "get_news"], "expected": None},
    {"id": "eval-n18", "prompt": "Summarize the plot of Romeo and Juliet in two sentences.",
     "tools": ["search_files", "create_note"], "expected": None},
    {"id": "eval-n19", "prompt": "Who painted the Mona Lisa?",
     "tools": ["get_stock_price", "unit_convert"], "expected": None},
    {"id": "eval-n20", "prompt": "What's the boiling point of water in Fahrenheit?",
     "tools": ["get_weather", "set_thermostat"], "expected": None},
    {"id": "eval-n21", "prompt": "How do I politely decline a meeting invitation?",
     "tools": ["schedule_meeting", "create_calendar_event"], "expected": None},
    {"id": "eval-n22", "prompt": "Is it healthy to drink coffee every day?",
     "tools": ["order_pizza", "find_restaurant"], "expected": None},
    {"id": "eval-n23", "prompt": "Good morning!",
     "tools": ["get_weather", "get_news", "set_alarm"], "expected": None},
    {"id": "eval-n24", "prompt": "What's the square root of 144?",
     "tools": ["is_prime", "roll_dice"], "expected": None},
    {"id": "eval-n25", "prompt": "How do airplanes stay in the air?",
     "tools": ["book_flight", "get_directions"], "expected": None},
    {"id": "eval-n26", "prompt": "What's a good name for a golden retriever puppy?",
     "tools": ["lookup_word", "roll_dice"], "expected": None},
    {"id": "eval-n27", "prompt": "Write a short birthday message I can send to my sister.",
     "tools": ["add_todo", "create_calendar_event"], "expected": None},
    {"id": "eval-n28", "prompt": "What year did the Berlin Wall fall?",
     "tools": ["get_news", "get_time_zone"], "expected": None},
    {"id": "eval-n29", "prompt": "Can you explain recursion simply?",
     "tools": ["search_files", "calculator"], "expected": None},
    {"id": "eval-n30", "prompt": "What's the tallest mountain in Africa?",
     "tools": ["get_directions", "get_weather", "book_flight"], "expected": None},
    {"id": "eval-n31", "prompt": "I'm feeling a bit stressed about work lately.",
     "tools": ["set_timer", "add_todo"], "expected": None},
    {"id": "eval-n32", "prompt": "What's the plural of 'cactus'?",
     "tools": ["translate_text", "send_email"], "expected": None},
    {"id": "eval-n33", "prompt": "How many minutes are there in a day?",
     "tools": ["set_timer", "set_alarm"], "expected": None},
    {"id": "eval-n34", "prompt": "What is the chemical symbol for gold?",
     "tools": ["get_stock_price", "convert_currency"], "expected": None},
    {"id": "eval-n35", "prompt": "Which is bigger, a kilobyte or a megabyte?",
     "tools": ["search_files", "create_note"], "expected": None},
    {"id": "eval-n36", "prompt": "Tell me a fun fact about octopuses.",
     "tools": ["get_news", "play_music"], "expected": None},
    {"id": "eval-n37", "prompt": "What language do people speak in Brazil?",
     "tools": ["translate_text", "get_time_zone"], "expected": None},
    {"id": "eval-n38", "prompt": "Suggest an easy vegetarian pasta recipe.",
     "tools": ["order_pizza", "find_restaurant", "add_todo"], "expected": None},
    {"id": "eval-n39", "prompt": "What's the weather usually like in London in November?",
     "tools": ["get_weather", "get_time_zone"], "expected": None},
    {"id": "eval-n40", "prompt": "Which planet has the most moons?",
     "tools": ["get_news", "search_files"], "expected": None},
    {"id": "eval-n41", "prompt": "Who won the first FIFA World Cup in 1930?",
     "tools": ["get_news", "get_stock_price", "get_time_zone"], "expected": None},
    # --- added 2026-11-29 (written before any tuning on them): near misses -- a related tool that
    # cannot do what is asked (other domain, wrong shape, wrong unit, wrong entity, missing capability) ---
    {"id": "eval-n42", "prompt": "What is the area of a triangle with a base of 10 and a height of 5?",
     "tools": ["calculate_bmi", "calculate_daily_calories"], "expected": None},
    {"id": "eval-n43", "prompt": "What's the area of a circle with radius 3?",
     "tools": ["calculate_triangle_area", "calculate_rectangle_area"], "expected": None},
    {"id": "eval-n44", "prompt": "What's the volume of a cube with 4 cm sides?",
     "tools": ["calculate_sphere_volume", "calculate_rectangle_area"], "expected": None},
    {"id": "eval-n45", "prompt": "Convert 26 miles to kilometers.",
     "tools": ["convert_temperature", "convert_currency"], "expected": None},
    {"id": "eval-n46", "prompt": "How many ounces are in 2 pounds?",
     "tools": ["convert_currency", "calculate_bmi"], "expected": None},
    {"id": "eval-n47", "prompt": "What's 300 Kelvin in Celsius?",
     "tools": ["convert_currency", "get_weather"], "expected": None},
    {"id": "eval-n48", "prompt": "What's the current price of Apple stock?",
     "tools": ["get_crypto_price", "get_exchange_rate"], "expected": None},
    {"id": "eval-n49", "prompt": "What's the population of the city of Tokyo?",
     "tools": ["get_population", "get_city_distance"], "expected": None},
    {"id": "eval-n50", "prompt": "Cancel my hotel booking in Lisbon.",
     "tools": ["book_hotel", "book_flight"], "expected": None},
    {"id": "eval-n51", "prompt": "Delete the Slack message I just posted in #general.",
     "tools": ["send_slack_message", "send_email"], "expected": None},
    {"id": "eval-n52", "prompt": "Change my flight to Paris to next Friday.",
     "tools": ["book_flight", "search_flights", "get_flight_status"], "expected": None},
    {"id": "eval-n53", "prompt": "What's the median of 3, 9, 4, 7 and 1?",
     "tools": ["calculate_mean", "calculate_standard_deviation"], "expected": None},
    {"id": "eval-n54", "prompt": "Find the derivative of x^3 + 2x.",
     "tools": ["solve_quadratic", "calculate_factorial"], "expected": None},
    {"id": "eval-n55", "prompt": "How many calories do I burn running for 30 minutes?",
     "tools": ["get_nutrition_facts", "calculate_daily_calories"], "expected": None},
    {"id": "eval-n56", "prompt": "How much income tax do I owe on a salary of 60,000?",
     "tools": ["calculate_loan_payment", "calculate_compound_interest", "calculate_tip"], "expected": None},
    {"id": "eval-n57", "prompt": "What will the weather be like in Rome next week?",
     "tools": ["get_weather", "get_sunrise_sunset"], "expected": None},
    {"id": "eval-n58", "prompt": "Translate 'good luck' into Korean.",
     "tools": ["get_synonyms", "lookup_word"], "expected": None},
    {"id": "eval-n59", "prompt": "What's the opposite of 'generous'?",
     "tools": ["get_synonyms", "translate_text"], "expected": None},
    {"id": "eval-n60", "prompt": "Book a rental car in Denver for 2026-05-10.",
     "tools": ["book_hotel", "book_flight"], "expected": None},
    {"id": "eval-n61", "prompt": "Is 2028 a leap year?",
     "tools": ["get_day_of_week", "get_public_holidays"], "expected": None},
    {"id": "eval-n62", "prompt": "What's the perimeter of a square with sides of 6?",
     "tools": ["calculate_circumference", "calculate_rectangle_area"], "expected": None},
    {"id": "eval-n63", "prompt": "What's the speed of sound in km/h?",
     "tools": ["convert_temperature", "calculate_circumference"], "expected": None},
    {"id": "eval-n64", "prompt": "How many moles are in 18 grams of water?",
     "tools": ["calculate_bmi", "convert_temperature"], "expected": None},
    {"id": "eval-n65", "prompt": "Calculate the gravitational force between two 10 kg masses 1 meter apart.",
     "tools": ["calculate_hypotenuse", "calculate_sphere_volume"], "expected": None},
    {"id": "eval-n66", "prompt": "What is the probability of rolling two sixes with two dice?",
     "tools": ["roll_dice", "calculate_factorial"], "expected": None},
    {"id": "eval-n67", "prompt": "Which country has the largest population?",
     "tools": ["get_population", "get_city_distance"], "expected": None},
    {"id": "eval-n68", "prompt": "What's the distance from the Earth to the Moon?",
     "tools": ["get_city_distance", "get_directions"], "expected": None},
    {"id": "eval-n69", "prompt": "Find me a cheap flight to Rome.",
     "tools": ["get_flight_status", "book_hotel"], "expected": None},
    {"id": "eval-n70", "prompt": "Send a WhatsApp voice note to my brother.",
     "tools": ["send_sms", "send_slack_message"], "expected": None},
    {"id": "eval-n71", "prompt": "What's the square root of 2 to five decimal places?",
     "tools": ["calculate_factorial", "greatest_common_divisor"], "expected": None},
]


# ---------------------------------------------------------------------------
# Heldout2 set (BFCL-style; written 2026-11-30 before any run; never tune on it)
# ---------------------------------------------------------------------------

HELDOUT2_CASES: list[dict] = [
    # --- simple: the right function plus 1-2 from unrelated domains ---
    {"id": "h2-t01",
     "prompt": "A conical paper cup has a base radius of 4 cm and a height of 9 cm. How much water can it hold, in cubic centimeters?",
     "tools": ["geometry_cone_volume", "sports_batting_average"],
     "expected": _call("geometry_cone_volume", radius=4, height=9)},
    {"id": "h2-t02",
     "prompt": "On last term's exam the class mean was 70 with a standard deviation of 8. Priya scored 86 - what's her z-score?",
     "tools": ["music_note_frequency", "stats_z_score"],
     "expected": _call("stats_z_score", value=86, mean=70, std_dev=8)},
    {"id": "h2-t03",
     "prompt": "A cyclist rolling at 5 m/s accelerates uniformly at 2 m/s^2 for 8 seconds. How fast is she going at the end?",
     "tools": ["physics_final_velocity", "realestate_property_tax"],
     "expected": _call("physics_final_velocity", initial_velocity=5, acceleration=2, time=8)},
    {"id": "h2-t04", "prompt": "molar mass of C6H12O6?",
     "tools": ["history_event_date", "chem_molar_mass"],
     "expected": _call("chem_molar_mass", formula="C6H12O6")},
    {"id": "h2-t05",
     "prompt": "I'm weighing a project that costs 5000 up front and then returns 1500, 2000 and 2500 over the next three years. What's its net present value at an 8% discount rate?",
     "tools": ["finance_net_present_value", "geo_city_elevation"],
     "expected": _call("finance_net_present_value", discount_rate=8)},
    {"id": "h2-t06",
     "prompt": "Our shop took in 180000 in revenue last year and spent 153000 in total costs. What was our net profit margin?",
     "tools": ["business_profit_margin", "astro_moon_phase"],
     "expected": _call("business_profit_margin", revenue=180000, costs=153000)},
    {"id": "h2-t07", "prompt": "The first day of my last period was 2026-03-02. When is the baby due?",
     "tools": ["health_due_date", "law_case_summary"],
     "expected": _call("health_due_date", last_period_start="2026-03-02")},
    {"id": "h2-t08", "prompt": "How high above sea level is La Paz, Bolivia?",
     "tools": ["stats_median", "movie_cast", "geo_city_elevation"],
     "expected": _call("geo_city_elevation", city="La Paz")},
    {"id": "h2-t09", "prompt": "What will the moon look like on 2027-02-14 - full, new, somewhere in between?",
     "tools": ["finance_simple_interest", "astro_moon_phase"],
     "expected": _call("astro_moon_phase", date="2027-02-14")},
    {"id": "h2-t10", "prompt": "Batting average for a player with 45 hits in 150 at-bats?",
     "tools": ["sports_batting_average", "chem_molar_mass"],
     "expected": _call("sports_batting_average", hits=45, at_bats=150)},
    {"id": "h2-t11", "prompt": "When did Queen Victoria's reign begin and end?",
     "tools": ["music_transpose_chord", "history_monarch_reign"],
     "expected": _call("history_monarch_reign", monarch="Victoria")},
    {"id": "h2-t12", "prompt": "Can you pull up the track listing of Abbey Road by the Beatles?",
     "tools": ["music_album_tracklist", "geo_country_capital"],
     "expected": _call("music_album_tracklist", artist="Beatles", album="Abbey Road")},
    {"id": "h2-t13", "prompt": "what's the most I can sue for in small claims court in texas",
     "tools": ["law_small_claims_limit", "bio_gc_content"],
     "expected": _call("law_small_claims_limit", state="Texas")},
    {"id": "h2-t14", "prompt": "If I read at 250 words per minute, how long will a 90000-word novel take me?",
     "tools": ["physics_momentum", "books_reading_time"],
     "expected": _call("books_reading_time", word_count=90000, words_per_minute=250)},
    {"id": "h2-t15",
     "prompt": "A 4 kg block of an unknown alloy displaces 0.0005 cubic meters of water when submerged. What's its density in kg/m3?",
     "tools": ["compute_density", "sports_league_standings"],
     "expected": _call("compute_density", mass=4, volume=0.0005, unit="kg/m3")},
    {"id": "h2-t16", "prompt": "What's the yearly property tax on a house assessed at 350000 if the rate is 1.2%?",
     "tools": ["language_count_syllables", "realestate_property_tax"],
     "expected": _call("realestate_property_tax", assessed_value=350000, tax_rate_percent=1.2)},
    {"id": "h2-t17", "prompt": "Is the Rijksmuseum open on 2026-12-26? I'd like to know the hours.",
     "tools": ["health_water_intake", "art_museum_opening_hours"],
     "expected": _call("art_museum_opening_hours", museum="Rijksmuseum", date="2026-12-26")},
    {"id": "h2-t18", "prompt": "Roughly how many people speak Bengali as their first language?",
     "tools": ["language_native_speakers", "finance_compound_interest_periodic"],
     "expected": _call("language_native_speakers", language="Bengali")},
    {"id": "h2-t19", "prompt": "How long will a 4500 MB game take to download on a 50 Mbps connection?",
     "tools": ["health_bmr_mifflin", "computing_download_time"],
     "expected": _call("computing_download_time", file_size_mb=4500, speed_mbps=50)},
    {"id": "h2-t20", "prompt": "Estimate the CO2 emissions of one passenger flying 5500 km in economy.",
     "tools": ["environment_flight_emissions", "music_album_tracklist", "stats_mode"],
     "expected": _call("environment_flight_emissions", distance_km=5500, cabin_class="economy")},
    # --- multiple: exactly one right function among 2-4 similar ones of the same domain ---
    {"id": "h2-t21", "prompt": "What do the interior angles of a 12-sided polygon add up to?",
     "tools": ["geometry_distance_2d", "geometry_ellipse_area", "geometry_cone_volume",
               "geometry_polygon_interior_angle_sum"],
     "expected": _call("geometry_polygon_interior_angle_sum", sides=12)},
    {"id": "h2-t22",
     "prompt": "A club of 11 members needs to pick a 4-person committee. How many different committees are possible?",
     "tools": ["math_binomial_coefficient", "math_permutations", "math_lcm"],
     "expected": _call("math_binomial_coefficient", n=11, k=4)},
    {"id": "h2-t23", "prompt": "Find the median of 14, 3, 8, 21, 9 and 11.",
     "tools": ["stats_mode", "stats_variance", "stats_z_score", "stats_median"],
     "expected": _call("stats_median")},
    {"id": "h2-t24", "prompt": "A 1200 kg car is cruising at 25 m/s. How much kinetic energy does it have?",
     "tools": ["physics_momentum", "physics_gravitational_potential_energy", "physics_kinetic_energy"],
     "expected": _call("physics_kinetic_energy", mass=1200, velocity=25)},
    {"id": "h2-t25", "prompt": "A 12 V battery is connected across a 48 ohm resistor. What current flows through it?",
     "tools": ["electric_ohms_law_current", "electric_power_dissipation", "electric_resistors_in_series"],
     "expected": _call("electric_ohms_law_current", voltage=12, resistance=48)},
    {"id": "h2-t26", "prompt": "What's the pH of a solution whose hydrogen ion concentration is 0.0001 mol/L?",
     "tools": ["chem_dilution_final_concentration", "chem_ph_from_concentration", "chem_molar_mass"],
     "expected": _call("chem_ph_from_concentration", h_concentration=0.0001)},
    {"id": "h2-t27", "prompt": "How much simple interest does 5000 earn at 4% per year over 3 years?",
     "tools": ["finance_simple_interest", "finance_compound_interest_periodic"],
     "expected": _call("finance_simple_interest", principal=5000, annual_rate=4, years=3)},
    {"id": "h2-t28",
     "prompt": "My grandmother put 8000 into an account paying 6% a year, compounded monthly. What will the balance be after 10 years?",
     "tools": ["finance_simple_interest", "finance_net_present_value", "finance_compound_interest_periodic"],
     "expected": _call("finance_compound_interest_periodic", principal=8000, annual_rate=6, years=10,
                       compounding="monthly")},
    {"id": "h2-t29", "prompt": "I'm a 35-year-old woman, 62 kg and 165 cm. What's my basal metabolic rate?",
     "tools": ["health_ideal_body_weight", "health_bmr_mifflin", "health_water_intake"],
     "expected": _call("health_bmr_mifflin", weight_kg=62, height_cm=165, age=35, sex="female")},
    {"id": "h2-t30", "prompt": "Is it safe to take ibuprofen while I'm on warfarin?",
     "tools": ["medication_dose_by_weight", "drug_side_effects", "drug_interaction_check"],
     "expected": _call("drug_interaction_check", drugs=["ibuprofen", "warfarin"])},
    {"id": "h2-t31", "prompt": "What was the population of Mexico in 2010?",
     "tools": ["geo_country_area", "geo_country_population_by_year", "geo_country_gdp", "geo_country_capital"],
     "expected": _call("geo_country_population_by_year", country="Mexico", year=2010)},
    {"id": "h2-t32", "prompt": "How big is Kazakhstan in square kilometers?",
     "tools": ["geo_country_area", "geo_country_population_by_year"],
     "expected": _call("geo_country_area", country="Kazakhstan", unit="square_kilometers")},
    {"id": "h2-t33",
     "prompt": "The Moon is about 384400 km away. How many seconds does its light take to reach us?",
     "tools": ["astro_escape_velocity", "astro_planet_orbital_period", "astro_light_travel_time"],
     "expected": _call("astro_light_travel_time", distance_km=384400)},
    {"id": "h2-t34", "prompt": "Show me the final Premier League table for the 2023-24 season.",
     "tools": ["sports_player_season_stats", "sports_league_standings", "sports_match_result"],
     "expected": _call("sports_league_standings", league="Premier League", season="2023")},
    {"id": "h2-t35", "prompt": "Who was president of the United States in 1962?",
     "tools": ["history_monarch_reign", "history_event_date", "history_us_president_by_year"],
     "expected": _call("history_us_president_by_year", year=1962)},
    {"id": "h2-t36", "prompt": "Transpose G7 up 5 semitones.",
     "tools": ["music_transpose_chord", "music_note_frequency"],
     "expected": _call("music_transpose_chord", chord="G7", semitones=5)},
    {"id": "h2-t37",
     "prompt": "I slipped on a wet floor in a grocery store in Ohio. How many years do I have to file a personal injury lawsuit?",
     "tools": ["law_small_claims_limit", "law_statute_of_limitations", "law_case_summary"],
     "expected": _call("law_statute_of_limitations", state="Ohio", claim_type="personal_injury")},
    {"id": "h2-t38", "prompt": "The air is 28 °C with 65% relative humidity. What's the dew point?",
     "tools": ["climate_heat_index", "climate_dew_point", "climate_wind_chill"],
     "expected": _call("climate_dew_point", temperature_c=28, relative_humidity=65)},
    {"id": "h2-t39", "prompt": "What's the GC content of the sequence ATGCGCTAGC?",
     "tools": ["bio_gc_content", "bio_dna_complement"],
     "expected": _call("bio_gc_content", sequence="ATGCGCTAGC")},
    {"id": "h2-t40", "prompt": "How much did James Cameron's Titanic gross worldwide?",
     "tools": ["movie_cast", "movie_box_office"],
     "expected": _call("movie_box_office", title="Titanic")},
    # --- no tool: 1-3 functions of the request's domain, none of which can do it (another formula,
    # the wrong entity or direction, a read for a write; h2-n14, n19, n20, n22, n24, n26, n28 and n29
    # are general knowledge or chit-chat offered a domain function) ---
    {"id": "h2-n01", "prompt": "What's the perimeter of an ellipse with semi-axes 5 and 3?",
     "tools": ["geometry_ellipse_area"], "expected": None},
    {"id": "h2-n02", "prompt": "Compute e raised to the power 2.5.",
     "tools": ["math_logarithm", "math_lcm"], "expected": None},
    {"id": "h2-n03", "prompt": "What's the p-value for a chi-square statistic of 7.8 with 3 degrees of freedom?",
     "tools": ["stats_z_score", "stats_percentile"], "expected": None},
    {"id": "h2-n04", "prompt": "Geometric mean of 2, 8 and 32?",
     "tools": ["stats_median", "stats_mode"], "expected": None},
    {"id": "h2-n05", "prompt": "A 0.15 kg baseball leaves the bat at 40 m/s. What is its momentum?",
     "tools": ["physics_kinetic_energy"], "expected": None},
    {"id": "h2-n06",
     "prompt": "What's the equivalent resistance of a 100 ohm and a 300 ohm resistor wired in parallel?",
     "tools": ["electric_resistors_in_series", "electric_ohms_law_current"], "expected": None},
    {"id": "h2-n07", "prompt": "A solution has a pH of 9.2. What is its pOH?",
     "tools": ["chem_ph_from_concentration"], "expected": None},
    {"id": "h2-n08", "prompt": "Balance the equation Fe + O2 -> Fe2O3.",
     "tools": ["chem_molar_mass", "chem_dilution_final_concentration"], "expected": None},
    {"id": "h2-n09", "prompt": "At 7% a year compounded annually, how many years until my savings double?",
     "tools": ["finance_compound_interest_periodic", "finance_simple_interest"], "expected": None},
    {"id": "h2-n10",
     "prompt": "Over the whole life of a 200000 mortgage at 5%, repaid monthly over 25 years, how much interest will I pay in total?",
     "tools": ["finance_simple_interest", "finance_net_present_value", "finance_compound_interest_periodic"],
     "expected": None},
    {"id": "h2-n11", "prompt": "What was Apple's total revenue in fiscal 2023?",
     "tools": ["business_profit_margin", "business_break_even_units"], "expected": None},
    {"id": "h2-n12", "prompt": "Register an LLC for my bakery in Delaware.",
     "tools": ["business_break_even_units"], "expected": None},
    {"id": "h2-n13",
     "prompt": "What's the body surface area of a patient who weighs 70 kg and is 175 cm tall?",
     "tools": ["health_bmr_mifflin", "health_ideal_body_weight"], "expected": None},
    {"id": "h2-n14", "prompt": "What counts as a normal blood pressure reading for an adult?",
     "tools": ["health_bmr_mifflin", "health_water_intake"], "expected": None},
    {"id": "h2-n15", "prompt": "What's the GDP of the city of Tokyo?",
     "tools": ["geo_country_gdp", "geo_country_population_by_year"], "expected": None},
    {"id": "h2-n16", "prompt": "Which country has the longest coastline in the world?",
     "tools": ["geo_country_area", "geo_country_capital", "geo_city_elevation"], "expected": None},
    {"id": "h2-n17", "prompt": "How hot is the surface of Venus on average?",
     "tools": ["astro_planet_orbital_period", "astro_escape_velocity", "astro_light_travel_time"],
     "expected": None},
    {"id": "h2-n18", "prompt": "When's the next total solar eclipse visible from Spain?",
     "tools": ["astro_moon_phase"], "expected": None},
    {"id": "h2-n19", "prompt": "Tell me a joke about astronauts.",
     "tools": ["astro_light_travel_time", "astro_moon_phase"], "expected": None},
    {"id": "h2-n20", "prompt": "Which city hosted the 2016 Summer Olympics?",
     "tools": ["sports_league_standings", "sports_player_season_stats"], "expected": None},
    {"id": "h2-n21", "prompt": "What's LeBron James's career free-throw percentage?",
     "tools": ["sports_batting_average", "sports_running_pace"], "expected": None},
    {"id": "h2-n22", "prompt": "Good evening! Did you manage to catch any football this weekend?",
     "tools": ["sports_match_result"], "expected": None},
    {"id": "h2-n23", "prompt": "Who was the British Prime Minister in 1960?",
     "tools": ["history_us_president_by_year", "history_monarch_reign"], "expected": None},
    {"id": "h2-n24", "prompt": "Why did the Western Roman Empire collapse?",
     "tools": ["history_event_date"], "expected": None},
    {"id": "h2-n25", "prompt": "What key is Beethoven's Moonlight Sonata written in?",
     "tools": ["music_note_frequency", "music_transpose_chord"], "expected": None},
    {"id": "h2-n26", "prompt": "Write me four lines of song lyrics about the sea.",
     "tools": ["music_album_tracklist", "music_artist_discography"], "expected": None},
    {"id": "h2-n27", "prompt": "File a small claims case against my landlord for me.",
     "tools": ["law_small_claims_limit", "law_case_summary"], "expected": None},
    {"id": "h2-n28", "prompt": "What's the difference between a misdemeanor and a felony?",
     "tools": ["law_case_summary"], "expected": None},
    {"id": "h2-n29", "prompt": "Who narrates The Great Gatsby?",
     "tools": ["books_search_by_author", "books_price_by_isbn"], "expected": None},
    {"id": "h2-n30", "prompt": "Reserve the book with ISBN 9780141439518 for me so I can pick it up tomorrow.",
     "tools": ["library_check_availability"], "expected": None},
    {"id": "h2-n31", "prompt": "How much rain does Seattle get on average in November?",
     "tools": ["climate_monthly_average_temperature"], "expected": None},
    {"id": "h2-n32", "prompt": "What's the specific heat capacity of aluminium?",
     "tools": ["compute_density"], "expected": None},
    {"id": "h2-n33",
     "prompt": "My car used 42 liters of fuel on a 600 km trip. At 1.85 per liter, what did the fuel cost me?",
     "tools": ["energy_fuel_consumption"], "expected": None},
    {"id": "h2-n34", "prompt": "Translate the mRNA sequence AUGGCCUAA into its amino acids.",
     "tools": ["bio_dna_complement", "bio_gc_content"], "expected": None},
    {"id": "h2-n35", "prompt": "What's the average house price in Manchester right now?",
     "tools": ["realestate_price_per_square_meter", "realestate_rental_yield", "realestate_property_tax"],
     "expected": None},
    {"id": "h2-n36", "prompt": "How many syllables does a traditional haiku have in total?",
     "tools": ["language_count_syllables"], "expected": None},
    {"id": "h2-n37", "prompt": "Who directed the film Parasite?",
     "tools": ["movie_box_office", "movie_cast"], "expected": None},
    {"id": "h2-n38", "prompt": "Buy me two tickets for the Louvre this Saturday.",
     "tools": ["art_museum_opening_hours", "art_artwork_info"], "expected": None},
    {"id": "h2-n39", "prompt": "Convert the hexadecimal number 0x1F4 to decimal.",
     "tools": ["computing_data_size_convert", "computing_download_time"], "expected": None},
    {"id": "h2-n40", "prompt": "How much CO2 does a mature oak tree absorb in a year?",
     "tools": ["environment_flight_emissions"], "expected": None},
]


# ---------------------------------------------------------------------------
# Checking
# ---------------------------------------------------------------------------

def _norm_str(value: Any) -> str:
    s = str(value).strip()
    if s.endswith("."):
        s = s[:-1].rstrip()
    return s.lower()


def _str_match(expected: str, actual: Any) -> bool:
    if actual is None or isinstance(actual, (dict, list, tuple, bool)):
        return False
    e, a = _norm_str(expected), _norm_str(actual)
    if e == a:
        return True
    # Lenient containment ("Paris" vs "Paris, France"); both sides need length >= 3.
    return len(e) >= 3 and len(a) >= 3 and (e in a or a in e)


def _num_match(expected: float, actual: Any) -> bool:
    if isinstance(actual, bool):
        return False
    if isinstance(actual, str):
        try:
            actual = float(actual.strip())
        except ValueError:
            return False
    if not isinstance(actual, (int, float)):
        return False
    return math.isclose(float(expected), float(actual), rel_tol=1e-9, abs_tol=1e-9)


def _bool_match(expected: bool, actual: Any) -> bool:
    if isinstance(actual, bool):
        return actual == expected
    if isinstance(actual, str) and actual.strip().lower() in ("true", "false"):
        return (actual.strip().lower() == "true") == expected
    return False


def _list_match(expected: list, actual: Any) -> bool:
    if not isinstance(actual, (list, tuple)):
        return False
    return {_norm_str(x) for x in expected} == {_norm_str(x) for x in actual}


def _value_match(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool):
        return _bool_match(expected, actual)
    if isinstance(expected, (int, float)):
        return _num_match(expected, actual)
    if isinstance(expected, str):
        return _str_match(expected, actual)
    if isinstance(expected, (list, tuple)):
        return _list_match(list(expected), actual)
    return expected == actual


def check_call(case: dict, name: str | None, arguments: dict | None) -> bool:
    """Return True when the model's call (or non-call, ``name=None``) matches ``case``."""
    expected = case["expected"]
    if expected is None:
        return name is None
    if name is None or name.strip() != expected["name"]:
        return False
    if isinstance(arguments, str):  # tolerate raw JSON argument strings
        import json
        try:
            arguments = json.loads(arguments)
        except ValueError:
            return False
    arguments = arguments or {}
    if not isinstance(arguments, dict):
        return False
    for key, want in expected["arguments"].items():
        if key not in arguments or not _value_match(want, arguments[key]):
            return False
    return True


# The first ids of the kinds added 2026-11-29 (see the module docstring); in HELDOUT2 every
# no-tool case is a near miss and h2-t21.. are the "multiple" (similar tools) cases.
_NEAR_MISS_FROM = {"dev-n": 29, "eval-n": 42, "h2-n": 1}
_SIMILAR_TOOLS_FROM = {"dev-t": 56, "eval-t": 70, "h2-t": 21}


def case_kind(case: dict) -> str:
    """'near_miss', 'similar_tools' or 'plain' (the DEV/EVAL cases written before those two kinds,
    and HELDOUT2's "simple" cases)."""
    prefix, number = case["id"][: case["id"].rindex("-") + 2], int(case["id"][case["id"].rindex("-") + 2:])
    if number >= _NEAR_MISS_FROM.get(prefix, 10**6):
        return "near_miss"
    if number >= _SIMILAR_TOOLS_FROM.get(prefix, 10**6):
        return "similar_tools"
    return "plain"


def tools_for(case: dict) -> list[dict]:
    """OpenAI-format definitions of the case's offered tools, in order (deep copies)."""
    return [copy.deepcopy(TOOLS[name]) for name in case["tools"]]


# ---------------------------------------------------------------------------
# Self-check
# ---------------------------------------------------------------------------

JSON_TYPE_CHECKS = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


def _simple_type_errors(value: Any, schema: dict, where: str) -> list[str]:
    errors = []
    typ = schema.get("type")
    if typ not in JSON_TYPE_CHECKS:
        return [f"{where}: unsupported schema type {typ!r}"]
    if not JSON_TYPE_CHECKS[typ](value):
        return [f"{where}: {value!r} is not of type {typ}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} not in enum {schema['enum']}")
    if "minimum" in schema and value < schema["minimum"]:
        errors.append(f"{where}: {value!r} < minimum {schema['minimum']}")
    if "maximum" in schema and value > schema["maximum"]:
        errors.append(f"{where}: {value!r} > maximum {schema['maximum']}")
    if typ == "array" and "items" in schema:
        for i, item in enumerate(value):
            errors += _simple_type_errors(item, schema["items"], f"{where}[{i}]")
    return errors


def _number_in_prompt(value: float, prompt: str) -> bool:
    text = prompt.replace(",", "")
    f = float(value)
    forms = {str(value)}
    if f.is_integer():
        forms.add(str(int(f)))
    return any(form in text for form in forms)


def _validate() -> list[str]:
    import re

    try:
        import jsonschema  # type: ignore
    except ImportError:
        jsonschema = None

    errors: list[str] = []

    # Tool definitions.
    for key, tool in TOOLS.items():
        fn = tool.get("function", {})
        if tool.get("type") != "function" or fn.get("name") != key:
            errors.append(f"tool {key}: bad envelope or name mismatch")
        if not fn.get("description") or not fn["description"].endswith("."):
            errors.append(f"tool {key}: description should be one sentence ending in '.'")
        params = fn.get("parameters", {})
        props = params.get("properties", {})
        if params.get("type") != "object":
            errors.append(f"tool {key}: parameters must be an object schema")
        for req in params.get("required", []):
            if req not in props:
                errors.append(f"tool {key}: required {req!r} not in properties")
        if jsonschema is not None:
            try:
                jsonschema.Draft202012Validator.check_schema(params)
            except jsonschema.SchemaError as exc:
                errors.append(f"tool {key}: invalid schema: {exc.message}")

    seen_ids: set[str] = set()
    seen_prompts: dict[str, str] = {}
    older_tools = {t for c in DEV_CASES + EVAL_CASES for t in c["tools"]}
    for set_name, cases in (("DEV_CASES", DEV_CASES), ("EVAL_CASES", EVAL_CASES),
                            ("HELDOUT2_CASES", HELDOUT2_CASES)):
        min_tools = 1 if set_name == "HELDOUT2_CASES" else 2
        for case in cases:
            cid = case.get("id")
            where = f"{set_name}/{cid}"
            if set(case) != {"id", "prompt", "tools", "expected"}:
                errors.append(f"{where}: keys are {sorted(case)}")
                continue
            if cid in seen_ids:
                errors.append(f"{where}: duplicate id")
            seen_ids.add(cid)
            prompt_key = re.sub(r"\s+", " ", case["prompt"].strip().lower())
            if not prompt_key:
                errors.append(f"{where}: empty prompt")
            if prompt_key in seen_prompts:
                errors.append(f"{where}: duplicate prompt (also {seen_prompts[prompt_key]})")
            seen_prompts[prompt_key] = where

            tools = case["tools"]
            if not min_tools <= len(tools) <= 6:
                errors.append(f"{where}: offers {len(tools)} tools (need {min_tools}-6)")
            if set_name == "HELDOUT2_CASES" and set(tools) & older_tools:
                errors.append(f"{where}: offers tools of the older sets {sorted(set(tools) & older_tools)}")
            if len(set(tools)) != len(tools):
                errors.append(f"{where}: duplicate tool in list")
            for t in tools:
                if t not in TOOLS:
                    errors.append(f"{where}: unknown tool {t!r}")

            exp = case["expected"]
            if exp is None:
                continue
            if set(exp) != {"name", "arguments"} or not isinstance(exp["arguments"], dict):
                errors.append(f"{where}: expected must be {{'name', 'arguments': dict}}")
                continue
            if exp["name"] not in tools:
                errors.append(f"{where}: expected tool {exp['name']!r} not offered")
            if exp["name"] not in TOOLS:
                continue
            props = TOOLS[exp["name"]]["function"]["parameters"]["properties"]
            for arg, val in exp["arguments"].items():
                if arg not in props:
                    errors.append(f"{where}: argument {arg!r} not in {exp['name']} schema")
                    continue
                if (isinstance(val, (int, float)) and not isinstance(val, bool)
                        and not _number_in_prompt(val, case["prompt"])):
                    errors.append(f"{where}: number {val!r} not stated in prompt")
            arg_schema = {"type": "object", "properties": props, "additionalProperties": False}
            if jsonschema is not None:
                for err in jsonschema.Draft202012Validator(arg_schema).iter_errors(exp["arguments"]):
                    errors.append(f"{where}: {err.message}")
            # Always also run the strict type check (it rejects 3.0 for integer, which jsonschema allows).
            for arg, val in exp["arguments"].items():
                if arg in props:
                    errors += _simple_type_errors(val, props[arg], f"{where}.{arg}")

    return errors


def _counts(cases: list[dict]) -> tuple[int, int]:
    tool = sum(1 for c in cases if c["expected"] is not None)
    return tool, len(cases) - tool


if __name__ == "__main__":
    import collections
    import sys

    problems = _validate()
    dev_tool, dev_none = _counts(DEV_CASES)
    eval_tool, eval_none = _counts(EVAL_CASES)
    h2_tool, h2_none = _counts(HELDOUT2_CASES)
    h2_kinds = collections.Counter(case_kind(c) for c in HELDOUT2_CASES)
    if (h2_tool, h2_none) != (40, 40) or h2_kinds != {"plain": 20, "similar_tools": 20, "near_miss": 40}:
        problems.append(f"HELDOUT2_CASES: {h2_tool} tool + {h2_none} no-tool, kinds {dict(h2_kinds)} "
                        "(need 40 + 40: 20 plain, 20 similar_tools, 40 near_miss)")
    offered = {t for c in DEV_CASES + EVAL_CASES + HELDOUT2_CASES for t in c["tools"]}
    if set(TOOLS) - offered:
        problems.append(f"tools defined but offered by no case: {sorted(set(TOOLS) - offered)}")
    if eval_tool < 55:
        problems.append(f"EVAL_CASES has {eval_tool} tool cases (need >= 55)")
    if eval_none < 35:
        problems.append(f"EVAL_CASES has {eval_none} no-tool cases (need >= 35)")

    # Sanity-check check_call against each case's own expectation.
    for case in DEV_CASES + EVAL_CASES + HELDOUT2_CASES:
        exp = case["expected"]
        if exp is None:
            ok = check_call(case, None, None) and not check_call(case, case["tools"][0], {})
        else:
            ok = check_call(case, exp["name"], copy.deepcopy(exp["arguments"])) \
                and not check_call(case, None, None)
        if not ok:
            problems.append(f"{case['id']}: check_call rejects its own expectation")

    try:
        import jsonschema  # noqa: F401
        validator = "jsonschema"
    except ImportError:
        validator = "built-in type check"

    used = {t for c in DEV_CASES + EVAL_CASES + HELDOUT2_CASES for t in c["tools"]}
    print(f"tools defined: {len(TOOLS)} ({len(used)} used in cases; validator: {validator})")
    print(f"DEV_CASES:  {len(DEV_CASES)} total = {dev_tool} tool + {dev_none} no-tool")
    print(f"EVAL_CASES: {len(EVAL_CASES)} total = {eval_tool} tool + {eval_none} no-tool")
    print(f"HELDOUT2_CASES: {len(HELDOUT2_CASES)} total = {h2_tool} tool + {h2_none} no-tool "
          f"({h2_kinds['plain']} simple, {h2_kinds['similar_tools']} multiple, {h2_kinds['near_miss']} near misses)")
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for p in problems:
            print("  -", p)
        sys.exit(1)
    print("OK")
