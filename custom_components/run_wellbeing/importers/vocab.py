"""The words of other services' exports, as data: activity names, headers, codes.

Names are compared normalized (`normalize`: no case, accents, blanks or
punctuation), so one entry covers "Trail Run", "trail_run" and "TrailRun".
Add a language by adding its words to the tables; no code changes.
"""

from __future__ import annotations

import unicodedata

from ..core.models import Activity


def normalize(text: str) -> str:
    """Return a name without case, accents, blanks or punctuation."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c))


# Activity type names of Strava, Garmin, Apple Health, FIT, TCX and GPX files,
# in English and the languages the exports come in (en, de, nl, fr, es, da, it, pt).
_ACTIVITY_WORDS: dict[Activity, str] = {
    Activity.RUN: """
        run | trail run | treadmill | treadmill running | virtual run | running |
        trail running | street running | track running | indoor running | ultra run |
        obstacle run | HKWorkoutActivityTypeRunning |
        Lauf | Laufen | Laufband | Traillauf | Trailrunning | Hardlopen | Hardloop |
        Loopband | Course à pied | Course | Course sur tapis | Course sur sentier |
        Carrera | Correr | Carrera en cinta | Carrera por montaña | Løb | Løbebånd |
        Trailløb | Corsa | Corsa su tapis roulant | Corsa in montagna | Corrida |
        Corrida em esteira | Corrida em trilha
    """,
    Activity.WALK: """
        walk | walking | indoor walking | casual walking | speed walking |
        HKWorkoutActivityTypeWalking | Spaziergang | Gehen | Wandelen | Wandeling |
        Marche | Caminar | Caminata | Gang | Gåtur | Camminata | Passeggiata |
        Caminhada
    """,
    Activity.HIKE: """
        hike | hiking | mountaineering | HKWorkoutActivityTypeHiking | Wanderung |
        Wandern | Bergwandelen | Wandeltocht | Randonnée | Senderismo | Excursionismo |
        Vandring | Vandretur | Escursionismo | Escursione | Trilha | Caminhada na trilha
    """,
    Activity.CYCLE: """
        ride | virtual ride | ebike ride | e-mountain bike ride | mountain bike ride |
        gravel ride | handcycle | velomobile | cycling | biking | bike | road cycling |
        mountain biking | gravel cycling | indoor cycling | virtual cycling |
        ebike fitness | ebike mountain | bmx | cyclocross | track cycling |
        HKWorkoutActivityTypeCycling | HKWorkoutActivityTypeHandCycling |
        Radfahrt | Radfahren | Rennrad | Mountainbiken | Virtuelle Radfahrt |
        Fietsrit | Fietsen | Wielrennen | Mountainbiken | Sortie à vélo | Vélo |
        Cyclisme | VTT | Vélo virtuel | Bicicleta | Ciclismo | Salida en bicicleta |
        Cykeltur | Cykling | Mountainbike | Giro in bici | Bici | Pedalada
    """,
    Activity.SWIM: """
        swim | swimming | lap swimming | pool swim | pool swimming |
        open water swimming | open water swim | HKWorkoutActivityTypeSwimming |
        Schwimmen | Schwimmbadschwimmen | Freiwasserschwimmen | Zwemmen | Natation |
        Natación | Svømning | Nuoto | Natação
    """,
    Activity.YOGA: """
        yoga | HKWorkoutActivityTypeYoga | HKWorkoutActivityTypeMindAndBody | Ioga
    """,
    Activity.DANCE: """
        dance | dancing | HKWorkoutActivityTypeDance | HKWorkoutActivityTypeSocialDance |
        HKWorkoutActivityTypeCardioDance | Tanzen | Dansen | Danse | Baile | Bailar |
        Dans | Danza | Dança
    """,
    Activity.STRENGTH: """
        weight training | strength training | strength | crossfit | workout | training |
        HKWorkoutActivityTypeTraditionalStrengthTraining |
        HKWorkoutActivityTypeFunctionalStrengthTraining |
        HKWorkoutActivityTypeCrossTraining | Krafttraining | Gewichtstraining |
        Krachttraining | Musculation | Entraînement en force | Entrenamiento de fuerza |
        Pesas | Styrketræning | Allenamento con i pesi | Allenamento di forza |
        Musculação | Treino de força
    """,
}

ACTIVITY_NAMES: dict[str, Activity] = {
    normalize(word): activity
    for activity, words in _ACTIVITY_WORDS.items()
    for word in words.split("|")
    if word.strip()
}

# Strava writes numeric activity type codes in the <type> of its GPX files
# (Strava's activity type list: 1 Ride, 4 Hike, 9 Run, 10 Walk, 11 Workout,
# 16 Swim, 17 Virtual Ride, 18 E-Bike Ride, 19 Velomobile, 26 Crossfit,
# 30 Weight Training, 31 Yoga, 51 Handcycle, 53 Virtual Run). Codes of
# activities that are none of ours (ski, rowing, …) are left `other`.
STRAVA_GPX_CODES: dict[str, Activity] = {
    "1": Activity.CYCLE,
    "4": Activity.HIKE,
    "9": Activity.RUN,
    "10": Activity.WALK,
    "11": Activity.STRENGTH,
    "16": Activity.SWIM,
    "17": Activity.CYCLE,
    "18": Activity.CYCLE,
    "19": Activity.CYCLE,
    "26": Activity.STRENGTH,
    "30": Activity.STRENGTH,
    "31": Activity.YOGA,
    "51": Activity.CYCLE,
    "53": Activity.RUN,
}

# FIT sport names (fitdecode's enum values).
FIT_SPORTS: dict[str, Activity] = {
    "running": Activity.RUN,
    "walking": Activity.WALK,
    "hiking": Activity.HIKE,
    "cycling": Activity.CYCLE,
    "e_biking": Activity.CYCLE,
    "swimming": Activity.SWIM,
    "training": Activity.STRENGTH,
    "dance": Activity.DANCE,
}

TCX_SPORTS: dict[str, Activity] = {"running": Activity.RUN, "biking": Activity.CYCLE}


def _headers(table: dict[str, dict[str, str]]) -> dict[str, tuple[str, str]]:
    """Return normalized header -> (field, language) from field -> language -> names."""
    out: dict[str, tuple[str, str]] = {}
    for name, languages in table.items():
        for language, words in languages.items():
            for word in words.split("|"):
                if word.strip():
                    out.setdefault(normalize(word), (name, language))
    return out


# Languages that write 5,2 for five point two.
DECIMAL_COMMA = frozenset({"de", "nl", "fr", "es", "da", "it", "pt"})

# Strava's activities.csv, by field: the column names of each language.
STRAVA_HEADERS = _headers(
    {
        "id": {
            "en": "Activity ID",
            "de": "Aktivitäts-ID",
            "nl": "Activiteits-ID | Activiteit-ID",
            "fr": "ID de l'activité | Identifiant de l'activité",
            "es": "ID de la actividad | ID de actividad",
            "da": "Aktivitets-ID",
            "it": "ID attività",
            "pt": "ID da atividade",
        },
        "date": {
            "en": "Activity Date",
            "de": "Aktivitätsdatum | Datum der Aktivität",
            "nl": "Activiteitsdatum | Datum van activiteit",
            "fr": "Date de l'activité",
            "es": "Fecha de la actividad",
            "da": "Aktivitetsdato",
            "it": "Data dell'attività | Data attività",
            "pt": "Data da atividade",
        },
        "type": {
            "en": "Activity Type",
            "de": "Aktivitätsart | Aktivitätstyp",
            "nl": "Activiteitstype | Type activiteit",
            "fr": "Type d'activité",
            "es": "Tipo de actividad",
            "da": "Aktivitetstype",
            "it": "Tipo di attività | Tipo attività",
            "pt": "Tipo de atividade",
        },
        "elapsed": {
            "en": "Elapsed Time",
            "de": "Verstrichene Zeit | Gesamtzeit",
            "nl": "Verstreken tijd",
            "fr": "Temps écoulé",
            "es": "Tiempo transcurrido",
            "da": "Forløbet tid",
            "it": "Tempo trascorso",
            "pt": "Tempo decorrido",
        },
        "moving": {
            "en": "Moving Time",
            "de": "Bewegungszeit | Zeit in Bewegung",
            "nl": "Beweegtijd | Tijd in beweging",
            "fr": "Temps de déplacement | Temps en mouvement",
            "es": "Tiempo en movimiento",
            "da": "Bevægelsestid | Tid i bevægelse",
            "it": "Tempo in movimento",
            "pt": "Tempo em movimento",
        },
        "distance": {
            "en": "Distance",
            "de": "Distanz | Strecke",
            "nl": "Afstand",
            "fr": "Distance",
            "es": "Distancia",
            "da": "Distance | Afstand",
            "it": "Distanza",
            "pt": "Distância",
        },
        "filename": {
            "en": "Filename",
            "de": "Dateiname",
            "nl": "Bestandsnaam",
            "fr": "Nom du fichier | Nom de fichier",
            "es": "Nombre del archivo | Nombre de archivo",
            "da": "Filnavn",
            "it": "Nome file | Nome del file",
            "pt": "Nome do arquivo | Nome do ficheiro",
        },
    }
)

# Garmin Connect's Activities.csv, by field: the column names of each language.
GARMIN_HEADERS = _headers(
    {
        "type": {
            "en": "Activity Type",
            "de": "Aktivitätstyp",
            "nl": "Activiteittype | Activiteitstype",
            "fr": "Type d'activité",
            "es": "Tipo de actividad",
            "da": "Aktivitetstype",
            "it": "Tipo di attività",
            "pt": "Tipo de atividade",
        },
        "date": {
            "en": "Date",
            "de": "Datum",
            "nl": "Datum",
            "fr": "Date",
            "es": "Fecha",
            "da": "Dato",
            "it": "Data",
            "pt": "Data",
        },
        "distance": {
            "en": "Distance",
            "de": "Distanz",
            "nl": "Afstand",
            "fr": "Distance",
            "es": "Distancia",
            "da": "Distance | Afstand",
            "it": "Distanza",
            "pt": "Distância",
        },
        "time": {
            "en": "Time",
            "de": "Zeit",
            "nl": "Tijd",
            "fr": "Temps | Durée",
            "es": "Tiempo",
            "da": "Tid",
            "it": "Tempo",
            "pt": "Tempo",
        },
        "moving": {
            "en": "Moving Time",
            "de": "Zeit in Bewegung | Bewegungszeit",
            "nl": "Tijd in beweging",
            "fr": "Temps de déplacement",
            "es": "Tiempo en movimiento",
            "da": "Tid i bevægelse",
            "it": "Tempo in movimento",
            "pt": "Tempo em movimento",
        },
        "elapsed": {
            "en": "Elapsed Time",
            "de": "Verstrichene Zeit | Gesamtzeit",
            "nl": "Verstreken tijd",
            "fr": "Temps écoulé",
            "es": "Tiempo transcurrido",
            "da": "Forløbet tid",
            "it": "Tempo trascorso",
            "pt": "Tempo decorrido",
        },
    }
)

# Month names as Strava writes them in each language (abbreviated or not),
# mapped to the month's number.
MONTHS: dict[str, int] = {
    normalize(word): number
    for number, words in enumerate(
        (
            "jan january januar januari janvier janv enero ene gennaio gen janeiro",
            "feb february februar februari fevrier fevr febrero febbraio fev fevereiro",
            "mar march marz maart mars marzo marts março mrt",
            "apr april avril avr abril aprile abr",
            "may mai mei maj mayo maggio mag maio",
            "jun june juni juin junio giugno giu junho",
            "jul july juli juillet juil julio luglio lug julho",
            "aug august augustus aout agosto ago",
            "sep sept september septembre septiembre settembre set setembro",
            "oct october oktober octobre octubre ottobre ott okt out outubro",
            "nov november novembre noviembre novembro",
            "dec december dezember decembre diciembre dicembre dic dez dezembro",
        ),
        start=1,
    )
    for word in words.split()
}
