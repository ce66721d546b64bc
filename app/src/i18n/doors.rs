//! The door links page's words, French and English.

use super::Locale;

impl Locale {
    pub fn doors(self) -> &'static DoorMessages {
        match self {
            Locale::Fr => &DOORS_FR,
            Locale::En => &DOORS_EN,
        }
    }

    /// "Les portes de Lyon"
    pub fn doors_of(self, city: &str) -> String {
        match self {
            Locale::Fr => format!("Les portes de {city}"),
            Locale::En => format!("The doors of {city}"),
        }
    }

    /// "12 entrées sur 80 inscrits confirmés"
    pub fn checked_in_of(self, checked_in: u32, confirmed: u32) -> String {
        match self {
            Locale::Fr => format!("{checked_in} entrées sur {confirmed} inscriptions confirmées"),
            Locale::En => format!("{checked_in} checked in of {confirmed} confirmed registrations"),
        }
    }

    /// "Lien de la porte « Entrée principale »"
    pub fn door_made(self, label: &str) -> String {
        match self {
            Locale::Fr => format!("Lien de la porte « {label} »"),
            Locale::En => format!("Link of the door \"{label}\""),
        }
    }

    pub fn revoke_door(self, label: &str) -> String {
        match self {
            Locale::Fr => format!("Révoquer la porte « {label} »"),
            Locale::En => format!("Revoke the door \"{label}\""),
        }
    }

    /// "Camille Durand : admis·e à 19 h 42 (« Entrée principale »), puis aussi à 19 h 45
    /// (« Porte latérale »)"
    pub fn double_admission(self, double: &crate::api::workspace::DoubleAdmissionLine) -> String {
        let (first, also) = (self.time(double.first_at), self.time(double.also_at));
        let (name, first_door, also_door) = (&double.name, &double.first_door, &double.also_door);
        match self {
            Locale::Fr => format!(
                "{name}\u{a0}: admis·e à {first} (« {first_door} »), puis aussi à {also} (« {also_door} »)"
            ),
            Locale::En => format!(
                "{name}: admitted at {first} (\"{first_door}\"), then also at {also} (\"{also_door}\")"
            ),
        }
    }

    /// "3 entrées · ouverte le 4 octobre 2027"
    pub fn door_line(self, checked_in: u32, made_on: chrono::NaiveDate, revoked: bool) -> String {
        let day = self.long_date(made_on);
        match (self, revoked) {
            (Locale::Fr, false) => format!("{checked_in} entrées · ouverte le {day}"),
            (Locale::Fr, true) => format!("{checked_in} entrées · révoquée"),
            (Locale::En, false) => format!("{checked_in} checked in · opened on {day}"),
            (Locale::En, true) => format!("{checked_in} checked in · revoked"),
        }
    }
}

pub struct DoorMessages {
    pub doors: &'static str,
    pub intro: &'static str,
    pub none: &'static str,
    pub label: &'static str,
    pub label_hint: &'static str,
    pub make: &'static str,
    pub made_hint: &'static str,
    pub qr_title: &'static str,
    pub label_taken: &'static str,
    pub revoked: &'static str,
    pub double_admissions: &'static str,
    pub double_admissions_hint: &'static str,
}

pub static DOORS_FR: DoorMessages = DoorMessages {
    doors: "Portes et contrôle des billets",
    intro: "Chaque porte a son lien\u{a0}: ouvert sur le téléphone de la personne à l'entrée, il scanne les billets de cette étape, et rien d'autre. Pas de compte, pas d'application à installer.",
    none: "Aucune porte pour l'instant\u{a0}: créez-en une par entrée.",
    label: "Nom de la porte",
    label_hint: "Comme on la désigne sur place, par exemple « Entrée principale ».",
    make: "Créer le lien de la porte",
    made_hint: "Scannez ce QR code avec le téléphone de la porte, ou envoyez-lui le lien. Il n'est montré qu'une fois\u{a0}: s'il se perd, révoquez la porte et créez-en une autre.",
    qr_title: "QR code du lien de la porte",
    label_taken: "Une porte ouverte porte déjà ce nom\u{a0}: choisissez-en un autre, ou révoquez-la d'abord.",
    revoked: "Porte révoquée\u{a0}: son lien ne contrôle plus rien.",
    double_admissions: "Billets admis à deux portes hors ligne",
    double_admissions_hint: "Deux portes sans réseau ont laissé entrer le même billet. La première entrée compte\u{a0}; la seconde est peut-être une copie du billet.",
};

pub static DOORS_EN: DoorMessages = DoorMessages {
    doors: "Doors and ticket checks",
    intro: "Each door has its own link: opened on the door person's phone, it scans this stage's tickets and nothing else. No account, no app to install.",
    none: "No door yet: make one for each entrance.",
    label: "Door name",
    label_hint: "As people call it on site, for example \"Main entrance\".",
    make: "Make the door's link",
    made_hint: "Scan this QR code with the door's phone, or send it the link. It is shown only once: if it gets lost, revoke the door and make another.",
    qr_title: "QR code of the door's link",
    label_taken: "An open door already has this name: choose another, or revoke it first.",
    revoked: "Door revoked: its link checks nothing any more.",
    double_admissions: "Tickets admitted at two doors while offline",
    double_admissions_hint: "Two doors without network let the same ticket in. The first admission counts; the second may be a copy of the ticket.",
};
