//! Calendar feeds over HTTP, read back with an independent parser (the `ical` crate, not the
//! `icalendar` crate that writes them), and checked on the raw bytes.

use crate::support::{client, spawn_app, spawn_app_on, TestApp, TestDb};
use app::db::{editions, stages};
use app::domain::Lineup;
use app::domain::{Edition, EditionStatus, NewEdition, NewStage, Stage, StageStatus};
use app::links::{Links, LINK_SECRET};
use chrono::{NaiveDate, TimeZone, Utc};
use ical::parser::ical::component::{IcalCalendar, IcalEvent};
use ical::property::Property;
use reqwest::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH,
    LAST_MODIFIED,
};
use reqwest::StatusCode;
use std::collections::BTreeSet;

const EDITION: &str = "social-good-week-demo";

/// Fetches a feed, checks the raw bytes against RFC 5545's line rules, and parses it.
async fn feed(app: &TestApp, path: &str) -> (String, IcalCalendar) {
    let response = client().get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(
        response.headers()[CONTENT_TYPE],
        "text/calendar; charset=utf-8"
    );
    let raw = response.bytes().await.unwrap().to_vec();
    let text = String::from_utf8(raw.clone()).expect("UTF-8");
    check_lines(&raw);
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(raw.as_slice()));
    let calendar = calendars.next().expect("one calendar").expect("parses");
    assert!(calendars.next().is_none(), "one calendar only");
    check_calendar(&calendar);
    (text, calendar)
}

/// CRLF after every line and nowhere else; at most 75 octets a line; folds never split a
/// character (the file is valid UTF-8 line by line).
fn check_lines(raw: &[u8]) {
    assert!(raw.ends_with(b"\r\n"));
    for (i, byte) in raw.iter().enumerate() {
        if *byte == b'\n' {
            assert_eq!(raw[i - 1], b'\r', "bare LF at octet {i}");
        }
        if *byte == b'\r' {
            assert_eq!(raw.get(i + 1), Some(&b'\n'), "bare CR at octet {i}");
        }
    }
    for line in raw.split(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        assert!(
            line.len() <= 75,
            "{} octets: {}",
            line.len(),
            String::from_utf8_lossy(line)
        );
        assert!(
            std::str::from_utf8(line).is_ok(),
            "a fold split a character"
        );
    }
}

fn property<'a>(properties: &'a [Property], name: &str) -> Option<&'a Property> {
    properties.iter().find(|p| p.name == name)
}

fn value<'a>(properties: &'a [Property], name: &str) -> &'a str {
    property(properties, name)
        .and_then(|p| p.value.as_deref())
        .unwrap_or_else(|| panic!("no {name}"))
}

fn param<'a>(property: &'a Property, name: &str) -> Option<&'a str> {
    property
        .params
        .as_ref()?
        .iter()
        .find(|(key, _)| key == name)
        .and_then(|(_, values)| values.first().map(String::as_str))
}

fn check_calendar(calendar: &IcalCalendar) {
    let props = &calendar.properties;
    assert_eq!(value(props, "VERSION"), "2.0");
    assert!(!value(props, "PRODID").is_empty());
    assert_eq!(value(props, "CALSCALE"), "GREGORIAN");
    assert_eq!(value(props, "METHOD"), "PUBLISH");
    assert!(!value(props, "NAME").is_empty());
    assert!(!value(props, "X-WR-CALNAME").is_empty());
    assert_eq!(value(props, "X-PUBLISHED-TTL"), "PT1H");
    let refresh = property(props, "REFRESH-INTERVAL").expect("REFRESH-INTERVAL");
    assert_eq!(param(refresh, "VALUE"), Some("DURATION"));
    let zones: BTreeSet<&str> = calendar
        .timezones
        .iter()
        .map(|zone| value(&zone.properties, "TZID"))
        .collect();
    let mut uids = BTreeSet::new();
    for event in &calendar.events {
        let p = &event.properties;
        assert!(uids.insert(value(p, "UID").to_owned()), "UIDs are unique");
        for name in [
            "DTSTAMP",
            "LAST-MODIFIED",
            "SEQUENCE",
            "SUMMARY",
            "DESCRIPTION",
            "LOCATION",
            "URL",
            "STATUS",
            "DTEND",
        ] {
            assert!(property(p, name).is_some(), "event without {name}");
        }
        assert!(property(p, "ORGANIZER").is_none());
        let start = property(p, "DTSTART").expect("DTSTART");
        let zone = param(start, "TZID").expect("DTSTART has a TZID");
        assert!(zone.contains('/'), "an IANA name, not {zone}");
        assert!(zones.contains(zone), "no VTIMEZONE for {zone}");
    }
}

fn event<'a>(calendar: &'a IcalCalendar, uid_start: &str) -> &'a IcalEvent {
    calendar
        .events
        .iter()
        .find(|e| value(&e.properties, "UID").starts_with(uid_start))
        .unwrap_or_else(|| panic!("no event {uid_start}"))
}

fn uids(calendar: &IcalCalendar) -> BTreeSet<String> {
    calendar
        .events
        .iter()
        .map(|e| value(&e.properties, "UID").to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_edition_city_and_stage_feeds_hold_what_the_pages_show() {
    let app = spawn_app().await;
    let (_, edition) = feed(&app, &format!("/feeds/{EDITION}.ics")).await;
    let record = editions::find_published_edition(&app.db, EDITION)
        .await
        .unwrap()
        .unwrap();
    let public = stages::list_public_stages(&app.db, &record.id)
        .await
        .unwrap();
    assert_eq!(edition.events.len(), public.len());
    let lyon = event(&edition, &format!("stage.{EDITION}.lyon@"));
    let description = value(&lyon.properties, "DESCRIPTION");
    assert!(
        description.contains(&format!("/{EDITION}/lyon")),
        "{description}"
    );
    assert!(description.contains("Programme"), "{description}");
    assert_eq!(value(&lyon.properties, "STATUS"), "CONFIRMED");
    assert!(property(&lyon.properties, "GEO").is_some());

    let (_, city) = feed(&app, &format!("/feeds/{EDITION}/lyon.ics")).await;
    assert!(!city.events.is_empty());
    assert!(city.events.len() < edition.events.len());
    assert!(uids(&city).is_subset(&uids(&edition)));

    let (text, stage) = feed(&app, &format!("/feeds/{EDITION}/stages/lyon.ics")).await;
    let lineup = stages::get_lineup(
        &app.db,
        &public
            .iter()
            .find(|s| s.stage.slug.as_str() == "lyon")
            .unwrap()
            .id,
    )
    .await
    .unwrap();
    assert_eq!(stage.events.len(), 1 + lineup.programme.len());
    assert!(lineup.programme.len() >= 2);
    // Long French text was folded, and reads back whole.
    assert!(text.contains("\r\n "), "long lines are folded");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_feeds_are_not_found() {
    let app = spawn_app().await;
    for path in [
        "/feeds/no-such-edition.ics".to_owned(),
        format!("/feeds/{EDITION}"),
        format!("/feeds/{EDITION}/atlantis.ics"),
        format!("/feeds/{EDITION}/stages/atlantis.ics"),
        "/feeds/attendee/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics".to_owned(),
        "/feeds/attendee/garbage.ics".to_owned(),
        // The shape of a token that seals an address, sealed by no one.
        format!("/feeds/attendee/{}.ics", "A".repeat(96)),
    ] {
        let response = client().get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unchanged_feeds_answer_304_and_head_answers_headers_only() {
    let app = spawn_app().await;
    let url = app.url(&format!("/feeds/{EDITION}/stages/lyon.ics"));
    let first = client().get(&url).send().await.unwrap();
    let etag = first.headers()[ETAG].to_str().unwrap().to_owned();
    let modified = first.headers()[LAST_MODIFIED].to_str().unwrap().to_owned();
    assert_eq!(first.headers()[CACHE_CONTROL], "public, max-age=300");
    assert_eq!(
        first.headers()[CONTENT_DISPOSITION],
        format!("attachment; filename=\"{EDITION}-lyon.ics\"")
    );
    let body = first.text().await.unwrap();

    let again = client()
        .get(&url)
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()[ETAG], etag.as_str());
    assert!(again.text().await.unwrap().is_empty());
    let since = client()
        .get(&url)
        .header(IF_MODIFIED_SINCE, &modified)
        .send()
        .await
        .unwrap();
    assert_eq!(since.status(), StatusCode::NOT_MODIFIED);
    let other = client()
        .get(&url)
        .header(IF_NONE_MATCH, "\"other\"")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::OK);
    assert_eq!(
        other.text().await.unwrap(),
        body,
        "the same data gives the same bytes"
    );

    let head = client().head(&url).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()[ETAG], etag.as_str());
    assert_eq!(head.headers()[CONTENT_TYPE], "text/calendar; charset=utf-8");
    assert!(head.text().await.unwrap().is_empty());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stage_keeps_its_uid_across_a_restart_and_on_postgresql() {
    let app = spawn_app().await;
    let path = format!("/feeds/{EDITION}.ics");
    let (_, before) = feed(&app, &path).await;
    let app = app.restart().await;
    let (_, after) = feed(&app, &path).await;
    assert_eq!(uids(&before), uids(&after));
    app.stop().await;
    if let Some(postgres) = TestDb::postgres().await {
        let app = spawn_app_on(postgres).await;
        let (_, elsewhere) = feed(&app, &path).await;
        assert_eq!(uids(&before), uids(&elsewhere));
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_time_or_place_raises_the_sequence_and_a_cancelled_stage_stays_cancelled() {
    let app = spawn_app().await;
    let path = format!("/feeds/{EDITION}/stages/lyon.ics");
    let (_, before) = feed(&app, &path).await;
    let uid = format!("stage.{EDITION}.lyon@");
    let sequence = |calendar: &IcalCalendar| -> u32 {
        value(&event(calendar, &uid).properties, "SEQUENCE")
            .parse()
            .unwrap()
    };
    let start =
        |calendar: &IcalCalendar| value(&event(calendar, &uid).properties, "DTSTART").to_owned();
    let record = editions::find_published_edition(&app.db, EDITION)
        .await
        .unwrap()
        .unwrap();
    let lyon = stages::find_public_stage(&app.db, &record.id, "lyon")
        .await
        .unwrap()
        .unwrap();

    let later = lyon.stage.starts_at + chrono::Duration::hours(1);
    let desk = crate::support::command_desk(&app.db);
    assert!(desk
        .reschedule_stage(EDITION, "lyon", later, Utc::now())
        .await
        .unwrap());
    let app = app.restart().await; // a fresh server: nothing cached
    let (_, moved) = feed(&app, &path).await;
    assert!(sequence(&moved) > sequence(&before));
    assert_ne!(start(&moved), start(&before));
    assert_eq!(uids(&moved), uids(&before), "the same events, moved");

    let venue = app::domain::Venue::parse(
        "Hôtel de Région",
        "1 esplanade François Mitterrand, 69002 Lyon",
        Some((45.7435, 4.8194)),
    )
    .unwrap();
    let desk = crate::support::command_desk(&app.db);
    assert!(desk
        .move_stage(EDITION, "lyon", &venue, Utc::now())
        .await
        .unwrap());
    assert!(!desk
        .move_stage(EDITION, "lyon", &venue, Utc::now())
        .await
        .unwrap());
    let app = app.restart().await;
    let (_, elsewhere) = feed(&app, &path).await;
    let lyon_event = event(&elsewhere, &uid);
    assert!(sequence(&elsewhere) > sequence(&moved));
    assert!(value(&lyon_event.properties, "LOCATION").starts_with("Hôtel de Région"));
    assert_eq!(value(&lyon_event.properties, "GEO"), "45.743500;4.819400");
    let moved = elsewhere;

    let desk = crate::support::command_desk(&app.db);
    assert!(desk
        .cancel_stage_by_slug(EDITION, "lyon", "Salle indisponible", Utc::now())
        .await
        .unwrap()
        .is_some());
    let app = app.restart().await;
    let (_, cancelled) = feed(&app, &path).await;
    assert_eq!(
        value(&event(&cancelled, &uid).properties, "STATUS"),
        "CANCELLED"
    );
    assert!(sequence(&cancelled) > sequence(&moved));
    let (_, edition) = feed(&app, &format!("/feeds/{EDITION}.ics")).await;
    assert_eq!(
        value(&event(&edition, &uid).properties, "STATUS"),
        "CANCELLED"
    );
    app.stop().await;
}

/// The UTC instant of a `DTSTART;TZID=…` value, computed from the feed's own VTIMEZONE: the
/// last observance that starts before the local time gives the offset.
fn utc_of(calendar: &IcalCalendar, event: &IcalEvent) -> chrono::DateTime<Utc> {
    let start = property(&event.properties, "DTSTART").unwrap();
    let zone_id = param(start, "TZID").unwrap();
    let local =
        chrono::NaiveDateTime::parse_from_str(start.value.as_deref().unwrap(), "%Y%m%dT%H%M%S")
            .unwrap();
    let zone = calendar
        .timezones
        .iter()
        .find(|zone| value(&zone.properties, "TZID") == zone_id)
        .unwrap();
    let offset = zone
        .transitions
        .iter()
        .map(|t| {
            let from = chrono::NaiveDateTime::parse_from_str(
                value(&t.properties, "DTSTART"),
                "%Y%m%dT%H%M%S",
            )
            .unwrap();
            (from, value(&t.properties, "TZOFFSETTO").to_owned())
        })
        .filter(|(from, _)| *from <= local)
        .max_by_key(|(from, _)| *from)
        .map(|(_, offset)| offset)
        .expect("an observance before the event");
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let hours: i64 = offset[1..3].parse().unwrap();
    let minutes: i64 = offset[3..5].parse().unwrap();
    Utc.from_utc_datetime(&(local - chrono::Duration::minutes(sign * (hours * 60 + minutes))))
}

async fn store_evening(db: &app::db::Db, slug: &str, day: NaiveDate) {
    let edition = Edition::parse(NewEdition {
        name: "Saisons",
        slug,
        number: 1,
        starts_on: day,
        ends_on: day,
        theme: "Heures d'hiver et d'été",
        description: "",
        partners: vec![],
        status: EditionStatus::Published,
    })
    .unwrap();
    let stage = Stage::parse(
        NewStage {
            slug: "paris",
            city: "Paris",
            venue_name: "La Ruche",
            venue_address: "84 quai de Jemmapes, 75010 Paris",
            coordinates: Some((48.8722, 2.3644)),
            time_zone: "Europe/Paris",
            starts_local: day.and_hms_opt(18, 30, 0).unwrap(),
            ends_local: day.and_hms_opt(21, 0, 0).unwrap(),
            theme: "Une soirée",
            description: "",
            capacity: 10,
            registration_opens_local: (day - chrono::Days::new(30)).and_hms_opt(9, 0, 0).unwrap(),
            registration_closes_local: day.and_hms_opt(18, 0, 0).unwrap(),
            status: StageStatus::Published,
            co_organisers: vec![],
            confirm_email_minutes: None,
        },
        &edition,
    )
    .unwrap();
    editions::insert_edition_programme(db, &edition, &[(stage, Lineup::default())])
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evenings_in_paris_are_the_right_instants_in_winter_and_in_summer() {
    let app = spawn_app().await;
    store_evening(
        &app.db,
        "hiver",
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
    )
    .await;
    store_evening(&app.db, "ete", NaiveDate::from_ymd_opt(2027, 7, 1).unwrap()).await;
    for (slug, utc) in [
        (
            "hiver",
            Utc.with_ymd_and_hms(2026, 12, 3, 17, 30, 0).unwrap(),
        ),
        ("ete", Utc.with_ymd_and_hms(2027, 7, 1, 16, 30, 0).unwrap()),
    ] {
        let (_, calendar) = feed(&app, &format!("/feeds/{slug}.ics")).await;
        let event = event(&calendar, &format!("stage.{slug}.paris@"));
        let start = property(&event.properties, "DTSTART").unwrap();
        assert_eq!(param(start, "TZID"), Some("Europe/Paris"));
        assert!(start.value.as_deref().unwrap().ends_with("T183000"));
        assert_eq!(utc_of(&calendar, event), utc, "{slug}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attendee_feed_holds_their_stages_and_loses_a_cancelled_one() {
    let app = spawn_app().await;
    let email = "camille@example.org";
    for stage in ["lyon", "paris"] {
        let response = client()
            .post(app.url(&format!("/{EDITION}/{stage}/register")))
            .header("origin", app.url(""))
            .form(&[("name", "Camille"), ("email", email), ("consent", "true")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{stage}");
    }
    let secret = app::db::secrets::site_secret(&app.db, LINK_SECRET, Utc::now())
        .await
        .unwrap();
    let links = Links::new(&app.url(""), secret);
    let registrations = app::db::registrations::list_by_email(
        &app.db,
        &app::domain::registration::Email::parse(email).unwrap(),
    )
    .await
    .unwrap();
    // One random salt for the address, drawn with its first registration.
    let salt = registrations[0].feed_salt.clone();
    assert!(salt.as_deref().is_some_and(|s| s.len() == 43), "{salt:?}");
    assert!(registrations.iter().all(|r| r.feed_salt == salt));
    let path = links.attendee_feed_path(email, salt.as_deref());
    let response = client().get(app.url(&path)).send().await.unwrap();
    assert_eq!(response.headers()[CACHE_CONTROL], "private, no-cache");
    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
    let (_, calendar) = feed(&app, &path).await;
    assert_eq!(calendar.events.len(), 2);
    assert!(calendar
        .events
        .iter()
        .all(|e| value(&e.properties, "STATUS") == "CONFIRMED"));

    // Cancel Lyon from its "my registration" link: it leaves the feed.
    let record = editions::find_published_edition(&app.db, EDITION)
        .await
        .unwrap()
        .unwrap();
    let lyon = stages::find_public_stage(&app.db, &record.id, "lyon")
        .await
        .unwrap()
        .unwrap();
    let registration = registrations
        .into_iter()
        .find(|r| r.stage_id == lyon.id)
        .unwrap();
    let cancel = client()
        .post(app.url(&format!("{}/cancel", links.manage_path(&registration.id))))
        .header("origin", app.url(""))
        .form(&[("confirm", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status(), reqwest::StatusCode::SEE_OTHER);
    let (_, after) = feed(&app, &path).await;
    assert_eq!(after.events.len(), 1);
    assert!(value(&after.events[0].properties, "URL").ends_with("/paris"));

    // The link sealed the address: nothing of it is stored. A link of the shape feeds had
    // before is still found through the hash its registrations stored.
    let (stored,): (i64,) = app
        .db
        .fetch_one(
            app::db::sql("SELECT COUNT(feed_token_hash) FROM registrations WHERE email = $1")
                .bind(email),
        )
        .await
        .unwrap();
    assert_eq!(stored, 0);
    let old_token = "F".repeat(43);
    app.db
        .execute(
            app::db::sql("UPDATE registrations SET feed_token_hash = $2 WHERE stage_id = $1")
                .bind(&lyon.id)
                .bind(app::links::token_hash(&old_token)),
        )
        .await
        .unwrap();
    let (_, old) = feed(&app, &format!("/feeds/attendee/{old_token}.ics")).await;
    assert_eq!(
        old.events.len(),
        1,
        "the address's feed, through its Lyon row"
    );
    app.stop().await;
}

/// The `href` of the attendee feed's "subscribe" link on a "my registration" page.
fn attendee_feed_path_on(page: &str) -> String {
    let start = page
        .find("/feeds/attendee/")
        .expect("the page links the attendee feed");
    let end = start + page[start..].find(".ics").expect("a feed address") + ".ics".len();
    page[start..end].to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resetting_the_attendee_feed_gives_it_a_new_address_and_ends_the_old_one() {
    let app = spawn_app().await;
    let email = "dominique@example.org";
    let mut manage_paths = Vec::new();
    for stage in ["lyon", "paris"] {
        let response = client()
            .post(app.url(&format!("/{EDITION}/{stage}/register")))
            .header("origin", app.url(""))
            .form(&[("name", "Dominique"), ("email", email), ("consent", "true")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{stage}");
        manage_paths.push(response.headers()["location"].to_str().unwrap().to_owned());
    }
    let page = |path: String| {
        let url = app.url(&path);
        async move {
            let response = client().get(url).send().await.unwrap();
            response.text().await.unwrap()
        }
    };
    let old = attendee_feed_path_on(&page(manage_paths[0].clone()).await);
    assert_eq!(
        old,
        attendee_feed_path_on(&page(manage_paths[1].clone()).await)
    );
    assert_eq!(feed(&app, &old).await.1.events.len(), 2);

    // A cross-site form cannot reset it.
    let forged = client()
        .post(app.url(&format!("{}/feed", manage_paths[0])))
        .header("origin", "https://elsewhere.example")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(feed(&app, &old).await.1.events.len(), 2);

    let reset = client()
        .post(app.url(&format!("{}/feed", manage_paths[0])))
        .header("origin", app.url(""))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), StatusCode::SEE_OTHER);
    let back = reset.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        back.starts_with(&format!("{}?feed_reset", manage_paths[0])),
        "{back}"
    );
    let shown = page(back).await;
    assert!(
        shown.contains("votre agenda a un nouveau lien"),
        "the page says it is done"
    );
    let new = attendee_feed_path_on(&shown);
    assert_ne!(new, old);
    // Both registrations moved to the new address; the old one is gone for good.
    assert_eq!(
        new,
        attendee_feed_path_on(&page(manage_paths[1].clone()).await)
    );
    assert_eq!(feed(&app, &new).await.1.events.len(), 2);
    let gone = client().get(app.url(&old)).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);

    // A forged "my registration" token resets nothing.
    let unknown = client()
        .post(app.url(&format!("/registrations/{}/feed", "A".repeat(43))))
        .header("origin", app.url(""))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(feed(&app, &new).await.1.events.len(), 2);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_link_their_feeds_for_subscribing_and_downloading() {
    let app = spawn_app().await;
    let host = app.address.to_string();
    let edition_page = client()
        .get(app.url(&format!("/{EDITION}")))
        .send()
        .await
        .unwrap();
    let html = edition_page.text().await.unwrap();
    for link in [
        format!("href=\"webcal://{host}/feeds/{EDITION}.ics\""),
        format!("href=\"/feeds/{EDITION}.ics\""),
        format!("href=\"webcal://{host}/feeds/{EDITION}/lyon.ics\""),
    ] {
        assert!(html.contains(&link), "edition page without {link}");
    }
    let stage_page = client()
        .get(app.url(&format!("/{EDITION}/lyon")))
        .send()
        .await
        .unwrap();
    let html = stage_page.text().await.unwrap();
    for link in [
        format!("href=\"webcal://{host}/feeds/{EDITION}/stages/lyon.ics\""),
        "href=\"https://calendar.google.com/calendar/render?action=TEMPLATE".to_owned(),
        "href=\"https://outlook.live.com/calendar/0/deeplink/compose?".to_owned(),
    ] {
        assert!(html.contains(&link), "stage page without {link}");
    }
    // Each linked feed is served.
    for path in [
        format!("/feeds/{EDITION}.ics"),
        format!("/feeds/{EDITION}/lyon.ics"),
        format!("/feeds/{EDITION}/stages/lyon.ics"),
    ] {
        feed(&app, &path).await;
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_cities_and_stages_are_answered_from_the_cached_edition() {
    use app::error::AppError;
    use etape::feeds::{Reader, Scope};
    let test_db = TestDb::sqlite().await;
    let db = &test_db.db;
    app::demo::load(db, Utc::now().date_naive()).await.unwrap();
    let cache = app::api::cache::ProgrammeCache::new(std::time::Duration::from_secs(600));
    let links = Links::new("https://etape.example", [7; 32]);
    let reader = Reader {
        db,
        cache: &cache,
        links: &links,
        locale: app::i18n::Locale::Fr,
    };
    let edition = |city: Option<&str>| match city {
        None => Scope::Edition {
            edition: EDITION.to_owned(),
        },
        Some(city) => Scope::City {
            edition: EDITION.to_owned(),
            city: city.to_owned(),
        },
    };
    reader.read(&edition(None)).await.unwrap();
    // From now on, reading an edition, a stage or a programme from storage fails.
    for statement in [
        "DROP TABLE programme_items",
        "ALTER TABLE stages RENAME TO stages_gone",
        "ALTER TABLE editions RENAME TO editions_gone",
    ] {
        db.execute(app::db::sql(statement)).await.unwrap();
    }
    let stage = |slug: &str| Scope::Stage {
        edition: EDITION.to_owned(),
        stage: slug.to_owned(),
    };
    for unknown in [edition(Some("atlantis")), stage("atlantis")] {
        assert!(
            matches!(reader.read(&unknown).await, Err(AppError::NotFound)),
            "{unknown:?} answered without storage"
        );
    }
    let unknown_edition = Scope::Edition {
        edition: "no-such-week".to_owned(),
    };
    assert!(matches!(
        reader.read(&unknown_edition).await,
        Err(AppError::NotFound)
    ));
    // A known city or stage does read storage: the check above proves something.
    assert!(!matches!(
        reader.read(&edition(Some("lyon"))).await,
        Ok(_) | Err(AppError::NotFound)
    ));
    assert!(!matches!(
        reader.read(&stage("lyon")).await,
        Ok(_) | Err(AppError::NotFound)
    ));
    test_db.teardown().await;
}
