/**
 * Energy reporting facts: the EU Energy Efficiency Directive (EU) 2023/1791,
 * Article 12, and Commission Delegated Regulation (EU) 2024/1364, which asks
 * data centres of 500 kW installed IT power or more to report yearly key
 * performance indicators from their own meters.
 */

/** Installed IT power from which a site must report yearly, kW. */
export const EED_REPORTING_THRESHOLD_KW = 500;

/**
 * The yearly metered figures the indicators need, by their config keys under
 * `energy.metered`: total and IT energy (PUE), water input (WUE), heat
 * reused (ERF), renewable energy by instrument (REF).
 */
export const REQUIRED_METERED_FIGURES = ["totalEnergyKwh", "itEnergyKwh", "waterInputM3", "heatReusedKwh", "renewable"] as const;
