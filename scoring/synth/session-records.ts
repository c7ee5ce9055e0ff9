// Synthetic labelled session records in seed 004's shape (its generator is not public): genuine
// sessions from a few devices, cities and daytime hours with ordinary activity; anomalous ones
// (about `anomalyShare`) drift on a random subset of traits (a rare city, night hours, a burst of
// clicks or page views, short visits), and some genuine ones on one trait. Only for tests and demos: the
// figures that count are measured on real labelled sets (`cadence eval supervised`).
import { Rng } from '../models/rng.ts';
import type { SessionRecord } from '../features/session-record.ts';

const DEVICES = ['desktop', 'mobile', 'tablet'];
const SCREENS = ['1920x1080', '1366x768', '390x844', '1536x864', '820x1180'];
const BROWSERS = ['Chrome/126', 'Safari/17', 'Firefox/127', 'Edge/126'];
const LANGUAGES = ['en-US', 'en-GB', 'de-DE', 'fr-FR'];
const CITIES = ['New York', 'London', 'Berlin', 'Paris', 'Madrid'];
const ZONES = ['America/New_York', 'Europe/London', 'Europe/Berlin', 'Europe/Paris', 'Europe/Madrid'];
const RARE_CITIES = ['Lagos', 'Hanoi', 'Minsk', 'Caracas'];

export function synthSessionRecords(n: number, anomalyShare: number, seed: number): { records: SessionRecord[]; labels: Uint8Array } {
  const rng = new Rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;
  const records: SessionRecord[] = [];
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const anomalous = rng.float() < anomalyShare;
    const place = rng.int(CITIES.length);
    const r: SessionRecord = {
      device_type: pick(DEVICES),
      screen_size: pick(SCREENS),
      browser: pick(BROWSERS),
      language: pick(LANGUAGES),
      orientation: rng.float() < 0.7 ? 'landscape' : 'portrait',
      geolocation_city: CITIES[place],
      timezone: ZONES[place],
      local_hour: Math.floor(8 + rng.float() * 14),
      time_on_page_s: Math.exp(3.5 + 0.6 * rng.normal()),
      clicks: Math.floor(Math.exp(1.8 + 0.5 * rng.normal())),
      scrolls: Math.floor(Math.exp(2 + 0.6 * rng.normal())),
      form_submissions: rng.int(3),
      page_views: 1 + rng.int(8),
      session_duration_s: Math.exp(5.5 + 0.5 * rng.normal()),
      bounce_rate: rng.float() * 0.6,
      conversion_rate: rng.float() * 0.2,
      avg_session_duration_s: Math.exp(5.5 + 0.3 * rng.normal()),
    };
    // Anomalies show one to three of the traits (no single feature gives them away); one genuine
    // session in five shows one too (travel, a night owl, a quick visit), so the classes overlap.
    const shown = anomalous ? 1 + rng.int(3) : rng.float() < 0.2 ? 1 : 0;
    if (anomalous) labels[i] = 1;
    const traits = [0, 1, 2, 3, 4, 5];
    rng.shuffle(traits);
    for (const t of traits.slice(0, shown)) {
      if (t === 0) r.geolocation_city = pick(RARE_CITIES);
      else if (t === 1) r.local_hour = rng.int(7);
      else if (t === 2) r.clicks = Math.floor(Math.exp(2.8 + 0.6 * rng.normal()));
      else if (t === 3) r.time_on_page_s = 2 + rng.float() * 10;
      else if (t === 4) r.page_views = 6 + rng.int(20);
      else r.session_duration_s = Math.exp(4.2 + 0.6 * rng.normal());
    }
    // Missing values, as collectors lose them.
    if (rng.float() < 0.05) delete r.screen_size;
    if (rng.float() < 0.05) delete r.time_on_page_s;
    records.push(r);
  }
  return { records, labels };
}
