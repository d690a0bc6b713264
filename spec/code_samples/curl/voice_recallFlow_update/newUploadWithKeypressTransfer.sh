# Sends the request example "New voice file,
# transfer on keypress"
# (newUploadWithKeypressTransfer).
# Uploads a new voice file (Base64) and transfers
# callees who press 0 to agent group 1000038 after a
# 2-second delay.
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

# keyId 299 is the vendor's example task, known
# to the mock; use the keyId your send returned.
curl -sS --fail-with-body -X POST \
  "$BASE_URL/voice/recallFlow/update" \
  -H 'Content-Type: application/json' \
  -H "Api-Key: $API_KEY" \
  -H "Timestamp: $TS" \
  -H "Sign: $SIGN" \
  -d '{
  "keyId": 299,
  "recallType": 0,
  "recallInterval": 1440,
  "recallNum": 1,
  "nodeList": [
    {
      "source": 2,
      "uploadName": "offer.wav",
      "baseFile": "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=",
      "hangUpSms": 0,
      "toSeat": 1,
      "sipGroupId": 1000038,
      "outboundControl": 1,
      "calloutRate": 3,
      "toSeatType": 2,
      "toSeatKey": "0",
      "delayTransfer": 2
    }
  ]
}'
# Answer (always HTTP 200):
# {"code":0,"msg":"success"}; a negative code
# is a refusal.
