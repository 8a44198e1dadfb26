/**
 * What is unmistakably foreign, wherever it is written: the region codes of
 * the major clouds, and the hosts of foreign object stores, model hubs and
 * cloud services. The policy pack scans every string for these, whatever the
 * format around them (a flag, an ARN, an INI file, a bare host).
 *
 * Norwegian names are never matched here: `norwayeast` and `norwaywest` are
 * left out of the Azure list, and the factory's own `no-...` regions match no
 * pattern. An operator who trusts a foreign host adds its domain to the
 * policy's allow-list.
 */

/** AWS region codes (`eu-west-1`, `us-gov-west-1`) with an optional zone letter or zone id suffix. */
const AWS_REGION = String.raw`(?:us-gov|us-iso[bef]?|us|eu|ap|sa|ca|me|af|il|mx|cn)-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}(?:[a-z]|-[a-z]{3}-\d)?`;

/** Google Cloud region codes (`europe-west4`, `us-central1`) with an optional zone suffix. */
const GCP_REGION = String.raw`(?:us|europe|asia|australia|northamerica|southamerica|me|africa)-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)\d{1,2}(?:-[a-f])?`;

/** Oracle Cloud region codes (`eu-frankfurt-1`, `uk-london-1`): a two-letter area, a city, a number. */
const OCI_CITIES = [
  "ashburn", "phoenix", "sanjose", "chicago", "toronto", "montreal", "saopaulo", "vinhedo", "santiago", "valparaiso",
  "bogota", "queretaro", "monterrey", "frankfurt", "amsterdam", "zurich", "london", "cardiff", "marseille", "paris",
  "milan", "madrid", "stockholm", "jeddah", "dubai", "abudhabi", "riyadh", "jerusalem", "johannesburg", "tokyo",
  "osaka", "seoul", "chuncheon", "mumbai", "hyderabad", "singapore", "sydney", "melbourne", "batam",
];
const OCI_REGION = String.raw`[a-z]{2}-(?:${OCI_CITIES.join("|")})-\d`;

/** IBM Cloud and Alibaba Cloud region codes. */
const OTHER_REGION = String.raw`(?:us-south|eu-de|eu-gb|eu-es|jp-tok|jp-osa|au-syd|ca-tor|br-sao|cn-(?:hangzhou|shanghai|beijing|shenzhen|hongkong|zhangjiakou|qingdao|chengdu|huhehaote|wulanchabu|heyuan|guangzhou))`;

/** Azure region names outside Norway (Azure writes them as one word). */
export const AZURE_FOREIGN_REGIONS: readonly string[] = [
  "westeurope", "northeurope", "swedencentral", "swedensouth", "germanywestcentral", "germanynorth", "francecentral",
  "francesouth", "uksouth", "ukwest", "switzerlandnorth", "switzerlandwest", "polandcentral", "italynorth",
  "spaincentral", "austriaeast", "belgiumcentral", "denmarkeast", "finlandcentral", "greececentral", "eastus", "eastus2",
  "westus", "westus2", "westus3", "centralus", "northcentralus", "southcentralus", "westcentralus", "canadacentral",
  "canadaeast", "brazilsouth", "brazilsoutheast", "mexicocentral", "chilecentral", "eastasia", "southeastasia",
  "japaneast", "japanwest", "koreacentral", "koreasouth", "australiaeast", "australiasoutheast", "australiacentral",
  "centralindia", "southindia", "westindia", "uaenorth", "uaecentral", "qatarcentral", "israelcentral",
  "southafricanorth", "southafricawest", "newzealandnorth", "indonesiacentral", "malaysiawest", "taiwannorth",
];

/**
 * One pattern for every foreign region code, bounded so that it does not
 * match inside a longer word. Case-insensitive: `EU-WEST-1` is as foreign.
 */
export const FOREIGN_REGION_PATTERN = new RegExp(
  String.raw`(?<![a-z0-9])(?:${AWS_REGION}|${GCP_REGION}|${OCI_REGION}|${OTHER_REGION}|${AZURE_FOREIGN_REGIONS.join("|")})(?![a-z0-9])`,
  "gi",
);

/** What a foreign host is: where data would go, or where a model would come from. */
export type ForeignHostKind = "object-store" | "model-hub" | "cloud-service";

/** Domains (and their subdomains) of foreign services, by what they are. */
export const FOREIGN_HOST_DOMAINS: Readonly<Record<string, ForeignHostKind>> = {
  "amazonaws.com": "object-store",
  "amazonaws.com.cn": "object-store",
  "core.windows.net": "object-store",
  "storage.googleapis.com": "object-store",
  "storage.cloud.google.com": "object-store",
  "r2.cloudflarestorage.com": "object-store",
  "digitaloceanspaces.com": "object-store",
  "backblazeb2.com": "object-store",
  "wasabisys.com": "object-store",
  "linodeobjects.com": "object-store",
  "aliyuncs.com": "object-store",
  "oraclecloud.com": "object-store",
  "cloud-object-storage.appdomain.cloud": "object-store",
  "scw.cloud": "object-store",
  "cloud.ovh.net": "object-store",
  "huggingface.co": "model-hub",
  "hf.co": "model-hub",
  "modelscope.cn": "model-hub",
  "ollama.com": "model-hub",
  "ollama.ai": "model-hub",
  "civitai.com": "model-hub",
  "kaggle.com": "model-hub",
  "tfhub.dev": "model-hub",
  "googleapis.com": "cloud-service",
  "azure.com": "cloud-service",
  "azure.net": "cloud-service",
  "openai.com": "cloud-service",
  "anthropic.com": "cloud-service",
  "cohere.ai": "cloud-service",
  "cohere.com": "cloud-service",
};

/**
 * Every foreign host in a text, with or without a scheme: a run of DNS labels
 * that ends in one of the domains above.
 */
export const FOREIGN_HOST_PATTERN = new RegExp(
  String.raw`(?<![a-z0-9.-])(?:[a-z0-9-]+\.)*(?:${Object.keys(FOREIGN_HOST_DOMAINS)
    .map((d) => d.replace(/\./g, "\\."))
    .join("|")})(?![a-z0-9-]|\.[a-z0-9])`,
  "gi",
);

/** The kind of a foreign host: the most specific domain it is under. */
export function foreignHostKind(host: string): ForeignHostKind | undefined {
  const h = host.toLowerCase();
  let best: { domain: string; kind: ForeignHostKind } | undefined;
  for (const [domain, kind] of Object.entries(FOREIGN_HOST_DOMAINS)) {
    if ((h === domain || h.endsWith(`.${domain}`)) && (best === undefined || domain.length > best.domain.length)) {
      best = { domain, kind };
    }
  }
  return best?.kind;
}

/** URI schemes that read from a foreign cloud or a model hub, wherever they appear in a text. */
export const FOREIGN_SCHEME_PATTERN = /(?<![a-z0-9+.-])(hf|gs|gcs|az|abfss?|wasbs?|adl):\/\//gi;

/** `s3://` (and Hadoop's `s3a://`, `s3n://`): foreign unless the resource names an in-country endpoint. */
export const S3_SCHEME_PATTERN = /(?<![a-z0-9+.-])s3[an]?:\/\/[^\s"',;]*/gi;

/**
 * Words that name a place too broadly to be Norwegian (`global`, `eu`) or
 * name a foreign area or data-centre city. In free-form configuration a plain
 * word under a location key counts as a place only if it is one of these (or
 * shaped like a region code); see `isPlaceValue`.
 */
export const FOREIGN_PLACE_WORDS: ReadonlySet<string> = new Set([
  "global", "any", "all", "multi-region", "multiregion", "worldwide", "international",
  "us", "usa", "eu", "europe", "asia", "apac", "emea", "amer", "americas", "latam", "nam", "uk", "gb",
  "se", "dk", "fi", "de", "fr", "nl", "ie", "ch", "pl", "it", "es", "be", "at",
  "sweden", "denmark", "finland", "germany", "france", "netherlands", "ireland", "switzerland", "poland", "italy",
  "spain", "belgium", "austria", "england", "scotland",
  "stockholm", "gothenburg", "copenhagen", "helsinki", "frankfurt", "berlin", "munich", "amsterdam", "paris",
  "marseille", "london", "manchester", "dublin", "zurich", "geneva", "warsaw", "milan", "madrid", "brussels",
  "vienna", "virginia", "ohio", "oregon", "california", "iowa", "texas", "montreal", "toronto", "tokyo", "osaka",
  "seoul", "singapore", "sydney", "melbourne", "mumbai", "hongkong", "jakarta", "saopaulo",
]);
