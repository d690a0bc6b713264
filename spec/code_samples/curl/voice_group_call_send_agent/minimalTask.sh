# Sends the request example "Call now, no recall"
# (minimalTask).
# Only the required fields: the task starts at once
# with default call and ringing limits.
#
# The local mock (npm start) and the vendor's test
# credentials. In production, set API_KEY and
# API_SECRET to yours and BASE_URL to
# https://api.itniotech.com
BASE_URL="${BASE_URL:-http://127.0.0.1:4010}"
API_KEY="${API_KEY:-bDqJFiq9}"
API_SECRET="${API_SECRET:-7bz1lzh9}"

# Sign = md5(apiKey + apiSecret + timestamp) in
# lowercase hex; the timestamp is Unix seconds.
TS=$(date +%s)
SIGN=$(printf '%s' "$API_KEY$API_SECRET$TS" |
  md5sum | cut -d' ' -f1)

# taskName gets the time as a suffix: a name
# used before is refused with -41.
curl -sS --fail-with-body -X POST \
  "$BASE_URL/voice/group/call/send/agent" \
  -H 'Content-Type: application/json' \
  -H "Api-Key: $API_KEY" \
  -H "Timestamp: $TS" \
  -H "Sign: $SIGN" \
  -d '{
  "appId": "2Xql9RBI",
  "taskName": "Spring campaign '"$TS"'",
  "agentId": 41,
  "numberInfoList": [
    { "calleeNumber": "6281234567890" },
    { "calleeNumber": "6281234567891" }
  ]
}'
# Answer (always HTTP 200):
# {"code":0,"msg":"success","data":<keyId>};
# a negative code is a refusal.
