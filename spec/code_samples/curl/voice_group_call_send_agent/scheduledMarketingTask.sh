# Sends the request example "Scheduled, with script
# variables and calling windows"
# (scheduledMarketingTask).
# Starts at a set time, calls only in two daily
# windows, fills ${text1}/${text2} per callee and
# recalls failed calls twice, 30 minutes apart.
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
  "taskName": "Loyalty offer November '"$TS"'",
  "displayNum": "",
  "agentId": 57,
  "sendTime": "2026-12-01 09:00:00",
  "maxCalls": 180,
  "maxRingingTime": 45,
  "enableRecording": 0,
  "allowSendTime": [
    { "strTime": "09:00", "endTime": "12:00" },
    { "strTime": "14:00", "endTime": "18:30" }
  ],
  "numberInfoList": [
    {
      "calleeNumber": "66812345678",
      "text1": "Somchai",
      "text2": "Gold"
    },
    {
      "calleeNumber": "66812345679",
      "text1": "Suda",
      "text2": "Silver"
    }
  ],
  "recallFlow": {
    "recallType": 1,
    "recallInterval": 30,
    "recallNum": 2,
    "nodeList": [
      { "agentId": 57 },
      { "agentId": 57 }
    ]
  }
}'
# Answer (always HTTP 200):
# {"code":0,"msg":"success","data":<keyId>};
# a negative code is a refusal.
