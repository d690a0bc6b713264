# Calls the local mock (npm start) with the vendor's test credentials.
# For production: BASE_URL=https://api.itniotech.com and your own API_KEY / API_SECRET.
BASE_URL="${BASE_URL:-http://127.0.0.1:4010}"
API_KEY="${API_KEY:-bDqJFiq9}"
API_SECRET="${API_SECRET:-7bz1lzh9}"

# Sign = md5(apiKey + apiSecret + timestamp), lowercase hex; the timestamp is Unix seconds.
TS=$(date +%s)
SIGN=$(printf '%s' "$API_KEY$API_SECRET$TS" | md5sum | cut -d' ' -f1)

# taskName must be unique: the timestamp in it lets you run this twice (same name again = -41).
curl -sS --fail-with-body -X POST "$BASE_URL/voice/group/call/send/agent" \
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
# Answer (always HTTP 200): {"code":0,"msg":"success","data":<keyId>}; a negative code is a refusal.
